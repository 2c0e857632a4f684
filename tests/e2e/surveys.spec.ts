/**
 * Surveys in Chromium: a member reading in Chinese answers on a phone-sized screen, saves half-way,
 * comes back to the draft and submits; a staff member sees the results as a chart and downloads
 * the CSV, which keeps the Chinese answer intact (UTF-8 with a BOM).
 */
import { readFile } from "node:fs/promises";
import { newId } from "~/utils/ids.server";
import { expect, signIn, test } from "./support/fixtures";

test("a member answers in Chinese on a phone, resumes a draft, and staff see the chart and download the CSV", async ({ browser, createMember, db }) => {
  const [member, lead] = await Promise.all([createMember({ displayName: "张伟", locale: "zh" }), createMember({ displayName: "Study Lead", role: "moderator" })]);
  const stamp = Date.now().toString(36);
  const surveyId = newId();
  await db.survey.create({
    data: {
      id: surveyId,
      titleEn: `Transition in your town ${stamp}`,
      titleZh: `您所在城镇的转型 ${stamp}`,
      introEn: "Three questions.",
      introZh: "三个问题。",
      audience: "all_members",
      anonymous: true,
      openedAt: new Date(),
      opensAt: new Date(),
      announcedAt: new Date(),
      questions: {
        create: [
          { id: `${surveyId}-1`, position: 1, type: "region", required: true, promptEn: "Your region?", promptZh: "您所在的地区?" },
          {
            id: `${surveyId}-2`,
            position: 2,
            type: "single_choice",
            required: true,
            promptEn: "Jobs for young people are…",
            promptZh: "年轻人的就业机会……",
            options: [{ id: "o1", en: "Better", zh: "更好" }, { id: "o2", en: "Worse", zh: "更差" }],
          },
          { id: `${surveyId}-3`, position: 3, type: "long_text", promptEn: "What would help?", promptZh: "什么会有帮助?" },
        ],
      },
    },
  });
  const phone = await browser.newContext({ viewport: { width: 375, height: 740 }, isMobile: true, hasTouch: true });
  const desk = await browser.newContext({ acceptDownloads: true });
  try {
    const page = await phone.newPage();
    await signIn(page, member);
    await page.goto("/surveys");
    await page.getByRole("link", { name: `您所在城镇的转型 ${stamp}` }).click();
    await expect(page.getByTestId("survey-title")).toHaveText(`您所在城镇的转型 ${stamp}`);
    // Submitting too early: told in Chinese what is missing.
    await page.getByRole("button", { name: "提交回答" }).click();
    await expect(page.getByText("请回答此问题。")).toHaveCount(2);
    await page.getByRole("combobox", { name: /您所在的地区/ }).selectOption({ label: "山西省" });
    await page.getByText("更好", { exact: true }).click();
    await page.getByRole("button", { name: "保存,稍后完成" }).click();
    await expect(page.getByTestId("draft-saved")).toBeVisible();
    // Nothing spills sideways on a 375 px screen.
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);

    // Later, from the list: the draft is there to finish.
    await page.goto("/surveys");
    const card = page.getByTestId("survey-card").filter({ hasText: stamp });
    await expect(card.getByTestId("survey-progress")).toHaveText("已保存草稿");
    await card.getByRole("link").click();
    await expect(page.getByTestId("draft-resumed")).toBeVisible();
    await expect(page.getByRole("combobox", { name: /您所在的地区/ })).toHaveValue(/.+/);
    await expect(page.getByRole("radio", { name: "更好" })).toBeChecked();
    await page.getByRole("textbox", { name: /什么会有帮助/ }).fill("煤矿工人需要新的工作和培训");
    await page.getByRole("button", { name: "提交回答" }).click();
    await expect(page.getByTestId("survey-thanks")).toHaveText("谢谢:我们已收到您的回答。");

    const staff = await desk.newPage();
    await signIn(staff, lead);
    await staff.goto(`/surveys/${surveyId}/results`);
    await expect(staff.getByTestId("results-total")).toHaveText("1 response");
    const chart = staff.getByTestId("question-result").nth(1).getByTestId("survey-chart");
    await expect(chart).toBeVisible();
    await expect(chart.locator("title")).toHaveText("2. Jobs for young people are…");
    await expect(chart.locator("desc")).toContainText("Better: 1 (100%)");
    await expect(staff.getByTestId("result-texts")).toContainText("煤矿工人需要新的工作和培训");
    const [download] = await Promise.all([staff.waitForEvent("download"), staff.getByTestId("download-csv").click()]);
    expect(download.suggestedFilename()).toBe(`survey-${surveyId}.csv`);
    const csv = await readFile((await download.path())!);
    expect([...csv.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    expect(csv.toString("utf8")).toContain("煤矿工人需要新的工作和培训");
    expect(csv.toString("utf8")).toContain("Shanxi / 山西省");
  } finally {
    await Promise.all([phone.close(), desk.close()]);
  }
});
