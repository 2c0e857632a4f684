/**
 * Case-study images carry a text alternative and a caption (WCAG 2.2, 1.1.1), and a new language
 * version starts from the other version's body, images included, to be translated in place: the
 * author describes a photo in English, a colleague reading in Chinese adds the Chinese version
 * and describes the same photo in Chinese.
 */
import { expect, signIn, test } from "./support/fixtures";

/** A 2×2 PNG (the upload checks the bytes, not the name). */
const PNG = Buffer.from(
  "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAIAAAD91JpzAAAAEElEQVR4nGNoUFAAIgYIBQAWjgMBwmTFJwAAAABJRU5ErkJggg==",
  "base64",
);

test("an image gets alt text and a caption, and the Chinese version keeps the image with its own description", async ({ browser, createMember }) => {
  const [author, translator] = await Promise.all([
    createMember({ displayName: "Jordan Gillette" }),
    createMember({ displayName: "Zhao Lei 赵磊", locale: "zh" }),
  ]);
  const stamp = Date.now().toString(36);
  const contexts = await Promise.all([browser.newContext(), browser.newContext()]);
  try {
    const [page, colleague] = await Promise.all(contexts.map((c) => c.newPage()));
    await Promise.all([signIn(page, author), signIn(colleague, translator)]);

    await page.goto("/case-studies/new");
    await page.locator('select[name="language"]').selectOption("en");
    await page.getByTestId("cs-title").fill(`Turbine school ${stamp}`);
    await expect(page.locator('[data-testid="case-study-editor"][data-editor="rich"]')).toBeVisible();
    await page.locator("#cs-body").fill("Technicians trained at the county college.");
    await page.getByTestId("image-file").setInputFiles({ name: "IMG_2041.png", mimeType: "image/png", buffer: PNG });

    // The new image is selected, has no description yet, and its description field has focus.
    await expect(page.getByTestId("image-panel")).toBeVisible();
    await expect(page.getByTestId("missing-alt")).toContainText("1 image has no description");
    await expect(page.getByTestId("image-alt")).toBeFocused();
    await page.getByTestId("image-alt").fill("Two technicians on top of a wind turbine nacelle");
    await page.getByTestId("image-caption").fill("Campbell County, 2024");
    await expect(page.getByTestId("missing-alt")).toHaveCount(0);
    await page.getByRole("checkbox", { name: "Wyoming" }).check();
    await page.getByRole("button", { name: "Save as draft" }).click();
    await expect(page).toHaveURL(/\/case-studies\/(?!new$)[a-z0-9]+$/);
    const url = page.url();
    await page.getByTestId("publish-button").click();
    await expect(page.getByTestId("draft-badge")).toHaveCount(0);

    const figure = page.locator(".rich figure.cs-figure");
    await expect(figure.locator("img")).toHaveAttribute("alt", "Two technicians on top of a wind turbine nacelle");
    await expect(figure.locator("figcaption")).toHaveText("Campbell County, 2024");

    // The colleague reads in Chinese and adds the Chinese version: it starts from the English
    // body, image and all.
    await colleague.goto(url);
    await colleague.getByTestId("add-version-zh").click();
    await expect(colleague.getByTestId("prefill-hint")).toContainText("请直接在原处翻译");
    await expect(colleague.locator('[data-testid="case-study-editor"][data-editor="rich"]')).toBeVisible();
    const editor = colleague.locator("#cs-body");
    await expect(editor.locator("img")).toHaveCount(1);

    // Saving the English text as the Chinese version is refused, in Chinese.
    await colleague.getByTestId("cs-title").fill(`风机学校 ${stamp}`);
    await colleague.getByTestId("save-version").click();
    await expect(colleague.getByText("这仍是另一种语言的原文")).toBeVisible();

    // Translate the paragraph in place, then the image's description and caption.
    await expect(colleague.locator('[data-testid="case-study-editor"][data-editor="rich"]')).toBeVisible();
    await colleague.locator("#cs-body p").first().click({ clickCount: 3 });
    await colleague.keyboard.insertText("技术人员在县社区学院接受培训。");
    await colleague.locator("#cs-body img").click();
    await expect(colleague.getByTestId("image-panel")).toContainText("所选图片");
    await expect(colleague.getByTestId("image-alt")).toHaveValue("Two technicians on top of a wind turbine nacelle");
    await colleague.getByTestId("image-alt").fill("两名技术人员站在风机机舱顶部");
    await colleague.getByTestId("image-caption").fill("坎贝尔县,2024 年");
    await colleague.getByTestId("save-version").click();

    await expect(colleague.getByTestId("version-zh")).toBeVisible();
    const zhFigure = colleague.locator('[data-testid="version-zh"] figure.cs-figure');
    await expect(zhFigure.locator("img")).toHaveAttribute("alt", "两名技术人员站在风机机舱顶部");
    await expect(zhFigure.locator("figcaption")).toHaveText("坎贝尔县,2024 年");
    await expect(colleague.getByTestId("version-zh")).toContainText("技术人员在县社区学院接受培训。");
    await expect(colleague.getByTestId("version-zh")).not.toContainText("Technicians trained");
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }
});
