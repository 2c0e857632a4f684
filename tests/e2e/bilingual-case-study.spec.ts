/**
 * Issue #4's journey: a member writes a case study in English and publishes it, a colleague adds
 * its Chinese version, a reader opens the side-by-side view and finds the work by searching a
 * two-character Chinese word from the Chinese version.
 */
import { expect, signIn, test } from "./support/fixtures";

test("write a case study in English, add its Chinese version, read both side by side, find it by a Chinese word", async ({ browser, createMember }) => {
  const [author, translator] = await Promise.all([
    createMember({ displayName: "Casey Wyoming" }),
    createMember({ displayName: "Wang Fang 王芳", locale: "en" }),
  ]);
  const stamp = Date.now().toString(36);
  const contexts = await Promise.all([browser.newContext(), browser.newContext()]);
  try {
    const [page, colleague] = await Promise.all(contexts.map((c) => c.newPage()));
    await Promise.all([signIn(page, author), signIn(colleague, translator)]);

    // The author writes the English version.
    await page.goto("/case-studies/new");
    await page.locator('select[name="language"]').selectOption("en");
    await page.getByTestId("cs-title").fill(`Retraining miners for wind work ${stamp}`);
    await page.locator('textarea[name="summary"]').fill("How Campbell County moved coal workers into wind-turbine maintenance.");
    await expect(page.locator('[data-testid="case-study-editor"][data-editor="rich"]')).toBeVisible();
    await page.locator("#cs-body").fill("The county college ran a twelve-week course with the utility.");
    await page.getByRole("checkbox", { name: "Wyoming" }).check();
    await page.getByRole("button", { name: "Save as draft" }).click();
    await expect(page).toHaveURL(/\/case-studies\/(?!new$)[a-z0-9]+$/);
    const caseStudyUrl = page.url();
    await page.getByTestId("publish-button").click();
    await expect(page.getByTestId("draft-badge")).toHaveCount(0);

    // A colleague adds the Chinese version as a human translation.
    await colleague.goto(caseStudyUrl);
    await colleague.getByTestId("add-version-zh").click();
    await colleague.getByTestId("cs-title").fill(`风电运维的矿工再培训 ${stamp}`);
    await colleague.locator('textarea[name="summary"]').fill("坎贝尔县如何把煤矿工人转向风机维护,推动能源转型。");
    await colleague.locator('input[name="translation"][value="human"]').check();
    await expect(colleague.locator('[data-testid="case-study-editor"][data-editor="rich"]')).toBeVisible();
    await colleague.locator("#cs-body").fill("县社区学院与电力公司合作开设了十二周的课程,帮助清洁能源转型。");
    await colleague.getByTestId("save-version").click();
    await expect(colleague.getByTestId("version-zh")).toBeVisible();

    // The side-by-side view shows both versions, each in its language.
    await page.goto(caseStudyUrl);
    await page.getByTestId("side-by-side-link").click();
    await expect(page.getByTestId("side-by-side")).toBeVisible();
    await expect(page.getByTestId("version-en")).toContainText(`Retraining miners for wind work ${stamp}`);
    await expect(page.getByTestId("version-zh")).toContainText(`风电运维的矿工再培训 ${stamp}`);
    await expect(page.getByTestId("version-zh")).toHaveAttribute("lang", "zh-CN");

    // Searching a two-character Chinese word from the Chinese version finds the work.
    await page.goto("/");
    await page.locator("#header-search-q").fill("转型");
    await page.locator("#header-search-q").press("Enter");
    await expect(page).toHaveURL(/\/search\?q=/);
    const hit = page.getByTestId("search-hit").filter({ hasText: stamp });
    await expect(hit).toHaveCount(1);
    await expect(hit.locator("mark").first()).toHaveText("转型");
    await hit.getByRole("link").first().click();
    await expect(page).toHaveURL(new RegExp(caseStudyUrl.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")));
  } finally {
    await Promise.all(contexts.map((c) => c.close()));
  }
});
