/**
 * Surveys (issue 16), the way staff and respondents meet them over HTTP against a real database:
 * authoring validation; audience rules (404 outside the audience; the public link without an
 * account, one response per browser, rate-limited); an anonymous response row holding no user
 * reference; a member never reading another's answers; small-cell withholding in breakdowns; the
 * CSV parsed back with its Chinese intact; announcements on opening and before closing.
 */
import type { PrismaClient } from "@prisma/client";
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { apiCommand } from "../helpers/commands";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createMember, dialogueBySlug, openPrisma, type TestMember } from "../helpers/factories";
import { findSetCookie, get, languageCookie, pageText, postForm } from "../helpers/http";
import { startMailSink, type MailSink } from "../helpers/mail";
import { startServer, type RunningServer } from "../helpers/server";

let database: TestDatabase;
let db: PrismaClient;
let server: RunningServer;
let sink: MailSink;
let staff: SignedIn;
let staffMember: TestMember;
/** Members of Wyoming (6), Shanxi (2) and one with no region. */
const wyoming: { member: TestMember; session: SignedIn }[] = [];
const shanxi: { member: TestMember; session: SignedIn }[] = [];
let nowhere: { member: TestMember; session: SignedIn };

async function regionId(slug: string): Promise<string> {
  return (await db.region.findUniqueOrThrow({ where: { slug } })).id;
}

/** A survey written and opened through the commands, as staff do; returns its id and question ids. */
async function openSurvey(settings: Record<string, unknown>, questions: Record<string, unknown>[]): Promise<{ surveyId: string; questionIds: string[] }> {
  const created = await apiCommand(server.url, "survey.create", { titleEn: "Transition survey", titleZh: "转型问卷", audience: "all_members", anonymous: true, ...settings }, { cookie: staff.cookie });
  expect(created.code, JSON.stringify(created)).toBe("ok");
  const { surveyId } = created.result as { surveyId: string };
  const questionIds: string[] = [];
  for (const q of questions) {
    const added = await apiCommand(server.url, "surveyQuestion.add", { surveyId, ...q }, { cookie: staff.cookie });
    expect(added.code, JSON.stringify(added)).toBe("ok");
    questionIds.push((added.result as { questionId: string }).questionId);
  }
  const opened = await apiCommand(server.url, "survey.open", { surveyId }, { cookie: staff.cookie });
  expect(opened.code, JSON.stringify(opened)).toBe("ok");
  return { surveyId, questionIds };
}

const CHOICES = "Better | 更好\nAbout the same | 差不多\nWorse | 更差";

beforeAll(async () => {
  database = await createTestDatabase();
  db = openPrisma(database.url);
  sink = await startMailSink();
  server = await startServer({ databaseUrl: database.url, env: { EMAIL_TICK_SECONDS: "2", SMTP_URL: sink.url } });
  staffMember = await createMember(db, { role: "moderator", displayName: "Study Lead" });
  staff = await signIn(server.url, staffMember.email, staffMember.password);
  for (let i = 0; i < 6; i++) {
    const member = await createMember(db, { region: "wyoming", displayName: `Wyoming ${i}` });
    wyoming.push({ member, session: await signIn(server.url, member.email, member.password) });
  }
  for (let i = 0; i < 2; i++) {
    const member = await createMember(db, { region: "shanxi", locale: "zh", displayName: `山西 ${i}` });
    shanxi.push({ member, session: await signIn(server.url, member.email, member.password) });
  }
  const member = await createMember(db, { displayName: "No Region" });
  nowhere = { member, session: await signIn(server.url, member.email, member.password) };
}, 240_000);

afterAll(async () => {
  await server?.stop();
  await sink?.close();
  await db?.$disconnect();
  await database?.drop();
});

describe("authoring", () => {
  it("is for staff only, and refuses incomplete surveys with a localised reason, changing nothing", async () => {
    expect((await apiCommand(server.url, "survey.create", { titleEn: "Mine", audience: "all_members" }, { cookie: wyoming[0]!.session.cookie })).code).toBe("forbidden");
    expect((await apiCommand(server.url, "survey.create", { titleEn: "", titleZh: "", audience: "all_members" }, { cookie: staff.cookie })).code).toBe("title_required");
    const noRegions = await apiCommand(server.url, "survey.create", { titleEn: "Regions", audience: "regions", regionIds: [] }, { cookie: staff.cookie });
    expect([noRegions.code, noRegions.field]).toEqual(["survey_audience_invalid", "regionIds"]);
    const backwards = await apiCommand(server.url, "survey.create", { titleEn: "Dates", audience: "all_members", opensAt: "2027-03-10", closesAt: "2027-03-01" }, { cookie: staff.cookie });
    expect(backwards.code).toBe("survey_dates_invalid");
    expect(await db.survey.count()).toBe(0);

    const created = await apiCommand(server.url, "survey.create", { titleEn: "Half written", audience: "all_members" }, { cookie: staff.cookie });
    const { surveyId } = created.result as { surveyId: string };
    const oneChoice = await apiCommand(server.url, "surveyQuestion.add", { surveyId, type: "single_choice", promptEn: "Pick", options: "Only | 唯一" }, { cookie: staff.cookie });
    expect([oneChoice.code, oneChoice.status]).toEqual(["options_required", 400]);
    expect((await apiCommand(server.url, "survey.open", { surveyId }, { cookie: staff.cookie })).code).toBe("survey_no_questions");
    await apiCommand(server.url, "surveyQuestion.add", { surveyId, type: "single_choice", promptEn: "How are jobs?", options: "Better\nWorse" }, { cookie: staff.cookie });

    // The Chinese half is missing: the page says so in Chinese, and the survey stays a draft.
    const zh = await languageCookie(server.url, "zh");
    const refused = await postForm(server.url, `/surveys/${surveyId}/edit`, { intent: "survey.open" }, { cookie: `${staff.cookie}; ${zh}` });
    expect(refused.status).toBe(400);
    expect(pageText(refused.body)).toContain("问卷的中英文内容尚未填写完整");
    expect((await db.survey.findUniqueOrThrow({ where: { id: surveyId } })).openedAt).toBeNull();

    // Marked English-only on purpose, it opens; then its questions are fixed.
    const survey = await db.survey.findUniqueOrThrow({ where: { id: surveyId } });
    const update = await apiCommand(server.url, "survey.update", { surveyId, titleEn: survey.titleEn, audience: "all_members", singleLanguage: "en", anonymous: true, baseRevision: survey.revision }, { cookie: staff.cookie });
    expect(update.code).toBe("ok");
    expect((await apiCommand(server.url, "survey.open", { surveyId }, { cookie: staff.cookie })).code).toBe("ok");
    const late = await apiCommand(server.url, "surveyQuestion.add", { surveyId, type: "short_text", promptEn: "Late" }, { cookie: staff.cookie });
    expect(late.code).toBe("survey_locked");
    // Anonymity was promised to respondents: it cannot be switched off afterwards.
    const fresh = await db.survey.findUniqueOrThrow({ where: { id: surveyId } });
    expect((await apiCommand(server.url, "survey.update", { surveyId, titleEn: "x", audience: "all_members", singleLanguage: "en", anonymous: false, baseRevision: fresh.revision }, { cookie: staff.cookie })).code).toBe("survey_locked");
    await apiCommand(server.url, "survey.delete", { surveyId }, { cookie: staff.cookie });
  });

  it("takes opening and closing days in the staff member's zone and shows the same days back", async () => {
    const picker = await createMember(db, { role: "admin" });
    await db.user.update({ where: { id: picker.id }, data: { timeZone: "America/New_York" } });
    const session = await signIn(server.url, picker.email, picker.password);
    // As the form sends it without JavaScript: the member's own zone beside the days.
    const created = await postForm(
      server.url,
      "/surveys/new",
      { titleEn: "Dated", titleZh: "有日期", audience: "all_members", anonymous: "on", opensAt: "2027-03-01", closesAt: "2027-03-05", timeZone: "America/New_York" },
      { cookie: session.cookie },
    );
    expect(created.status).toBe(302);
    const survey = await db.survey.findFirstOrThrow({ where: { titleEn: "Dated" } });
    // Opens at the start of 1 March and closes at the end of 5 March, New York time.
    expect([survey.opensAt?.toISOString(), survey.closesAt?.toISOString()]).toEqual(["2027-03-01T05:00:00.000Z", "2027-03-06T05:00:00.000Z"]);
    const page = await get(server.url, created.location!, { cookie: session.cookie });
    expect(page.body).toMatch(/name="opensAt"[^>]*value="2027-03-01"/);
    expect(page.body).toMatch(/name="closesAt"[^>]*value="2027-03-05"/);
    await apiCommand(server.url, "survey.delete", { surveyId: survey.id }, { cookie: session.cookie });
  });

  it("shows staff a preview in each language before opening", async () => {
    const created = await apiCommand(server.url, "survey.create", { titleEn: "Preview me", titleZh: "预览我", audience: "all_members" }, { cookie: staff.cookie });
    const { surveyId } = created.result as { surveyId: string };
    await apiCommand(server.url, "surveyQuestion.add", { surveyId, type: "scale", promptEn: "How hopeful are you?", promptZh: "您有多乐观?" }, { cookie: staff.cookie });
    const en = await get(server.url, `/surveys/${surveyId}?preview=en`, { cookie: staff.cookie });
    const zh = await get(server.url, `/surveys/${surveyId}?preview=zh`, { cookie: staff.cookie });
    expect(pageText(en.body)).toContain("How hopeful are you?");
    expect(pageText(zh.body)).toContain("您有多乐观?");
    // Not opened: a member cannot tell it exists.
    expect((await get(server.url, `/surveys/${surveyId}`, { cookie: wyoming[0]!.session.cookie })).status).toBe(404);
    await apiCommand(server.url, "survey.delete", { surveyId }, { cookie: staff.cookie });
  });
});

describe("audience rules", () => {
  it("answer 404 to a member outside the chosen regions, and let the region's members answer", async () => {
    const { surveyId, questionIds } = await openSurvey({ audience: "regions", regionIds: [await regionId("wyoming")] }, [
      { type: "single_choice", promptEn: "Jobs?", promptZh: "就业?", options: CHOICES, required: true },
    ]);
    const outsider = shanxi[0]!.session.cookie;
    expect((await get(server.url, `/surveys/${surveyId}`, { cookie: outsider })).status).toBe(404);
    expect((await get(server.url, `/surveys/${surveyId}/results`, { cookie: outsider })).status).toBe(404);
    expect((await apiCommand(server.url, "surveyResponse.save", { surveyId, answers: { [questionIds[0]!]: "o1" }, submit: true }, { cookie: outsider })).code).toBe("not_found");
    expect(pageText((await get(server.url, "/surveys", { cookie: outsider })).body)).not.toContain("Transition survey");
    const insider = wyoming[0]!.session.cookie;
    expect((await get(server.url, `/surveys/${surveyId}`, { cookie: insider })).status).toBe(200);
    expect(pageText((await get(server.url, "/surveys", { cookie: insider })).body)).toContain("Transition survey");
    // Signed out: asked to sign in.
    const signedOut = await get(server.url, `/surveys/${surveyId}`);
    expect([signedOut.status, signedOut.location]).toEqual([302, `/signin?redirectTo=%2Fsurveys%2F${surveyId}`]);
    await apiCommand(server.url, "survey.delete", { surveyId }, { cookie: staff.cookie });
  });

  it("admit a dialogue's accepted participants only", async () => {
    const dialogue = await dialogueBySlug(db, "2024-09-23-economic-diversification");
    const accepted = wyoming[1]!;
    const declined = wyoming[2]!;
    for (const [who, status] of [[accepted, "approved"], [declined, "declined"]] as const) {
      await db.participationRequest.create({ data: { id: `pr-${who.member.id}`, dialogueId: dialogue.id, userId: who.member.id, name: who.member.displayName, email: who.member.email, status } });
    }
    const { surveyId } = await openSurvey({ audience: "dialogue", dialogueId: dialogue.id }, [{ type: "short_text", promptEn: "Your view?", promptZh: "您的看法?" }]);
    expect((await get(server.url, `/surveys/${surveyId}`, { cookie: accepted.session.cookie })).status).toBe(200);
    expect((await get(server.url, `/surveys/${surveyId}`, { cookie: declined.session.cookie })).status).toBe(404);
    // Its opening reached the participant only, in the app and in the outbox.
    const told = { type: "survey_opened" as const, data: { path: ["surveyId"], equals: surveyId } };
    expect(await db.notification.count({ where: { ...told, userId: accepted.member.id } })).toBe(1);
    expect(await db.notification.count({ where: { ...told, userId: declined.member.id } })).toBe(0);
    expect(await db.emailMessage.count({ where: { kind: "survey_announcement", userId: accepted.member.id, refId: surveyId } })).toBe(1);
    await apiCommand(server.url, "survey.delete", { surveyId }, { cookie: staff.cookie });
  });

  it("let anyone with the public link answer without an account, once per browser", async () => {
    const { surveyId, questionIds } = await openSurvey({ audience: "public_link" }, [
      { type: "single_choice", promptEn: "Jobs?", promptZh: "就业?", options: CHOICES, required: true },
      { type: "long_text", promptEn: "What would help?", promptZh: "什么会有帮助?" },
    ]);
    const token = (await db.survey.findUniqueOrThrow({ where: { id: surveyId } })).publicToken!;
    expect(token).toMatch(/^[A-Za-z0-9_-]{20,}$/);
    // Not through its id, and not listed: the link is the way in.
    expect((await get(server.url, `/surveys/${surveyId}`, { cookie: wyoming[0]!.session.cookie })).status).toBe(404);
    expect((await get(server.url, "/s/not-the-token-at-all")).status).toBe(404);

    const page = await get(server.url, `/s/${token}`);
    expect(page.status).toBe(200);
    const browser = findSetCookie(page, "crn_survey");
    expect(browser?.attributes.httponly).toBe(true);
    const cookie = `crn_survey=${browser!.value}`;
    const [q1, q2] = questionIds as [string, string];
    const draft = await postForm(server.url, `/s/${token}`, { intent: "draft", [`q_${q2}`]: "培训" }, { cookie });
    expect([draft.status, draft.location]).toEqual([302, `/s/${token}?saved=draft`]);
    expect(pageText((await get(server.url, `/s/${token}`, { cookie })).body)).toContain("培训");

    const sent = await postForm(server.url, `/s/${token}`, { intent: "submit", [`q_${q1}`]: "o1", [`q_${q2}`]: "培训和新产业" }, { cookie });
    expect([sent.status, sent.location]).toEqual([302, `/s/${token}?saved=submitted`]);
    const again = await postForm(server.url, `/s/${token}`, { intent: "submit", [`q_${q1}`]: "o3" }, { cookie });
    expect(again.status).toBe(409);
    expect(pageText(again.body)).toContain("You have already answered this survey.");
    expect(await db.surveyResponse.count({ where: { surveyId } })).toBe(1);
    expect(await db.surveyDraft.count({ where: { surveyId } })).toBe(0);

    // Another browser is another respondent.
    const other = findSetCookie(await get(server.url, `/s/${token}`), "crn_survey")!;
    const second = await postForm(server.url, `/s/${token}`, { intent: "submit", [`q_${q1}`]: "o2" }, { cookie: `crn_survey=${other.value}` });
    expect(second.status).toBe(302);
    expect(await db.surveyResponse.count({ where: { surveyId } })).toBe(2);

    // Submissions through the link are limited per address: 20 an hour (3 made above, refused or not).
    const statuses: number[] = [];
    for (let i = 0; i < 19; i++) {
      const fresh = findSetCookie(await get(server.url, `/s/${token}`), "crn_survey")!;
      statuses.push((await postForm(server.url, `/s/${token}`, { intent: "submit", [`q_${q1}`]: "o2" }, { cookie: `crn_survey=${fresh.value}` })).status);
    }
    expect(statuses).toEqual([...Array(17).fill(302), 429, 429]);
    expect(await db.surveyResponse.count({ where: { surveyId } })).toBe(19);
  });
});

describe("answers", () => {
  it("come back with every problem marked, in the respondent's language, and nothing stored", async () => {
    const { surveyId, questionIds } = await openSurvey({}, [
      { type: "single_choice", promptEn: "Jobs?", promptZh: "就业?", options: CHOICES, required: true },
      { type: "number", promptEn: "How many?", promptZh: "多少人?", minValue: 0, maxValue: 1000 },
      { type: "scale", promptEn: "Hope?", promptZh: "希望?", required: true },
    ]);
    const zh = await languageCookie(server.url, "zh");
    const refused = await postForm(server.url, `/surveys/${surveyId}`, { intent: "submit", [`q_${questionIds[1]}`]: "２０００" }, { cookie: `${shanxi[0]!.session.cookie}; ${zh}` });
    expect(refused.status).toBe(400);
    const text = pageText(refused.body);
    expect(text.match(/请回答此问题。/g)).toHaveLength(2);
    expect(text).toContain("请填写 0 到 1000 之间的数字。");
    // What was typed stays in the form.
    expect(refused.body).toContain('value="２０００"');
    expect(await db.surveyResponse.count({ where: { surveyId } })).toBe(0);
    expect(await db.surveyDraft.count({ where: { surveyId } })).toBe(0);
    // Full-width digits are numbers.
    const ok = await postForm(server.url, `/surveys/${surveyId}`, { intent: "submit", [`q_${questionIds[0]}`]: "o2", [`q_${questionIds[1]}`]: "１２０", [`q_${questionIds[2]}`]: "4" }, { cookie: `${shanxi[0]!.session.cookie}; ${zh}` });
    expect(ok.status).toBe(302);
    const [row] = await db.surveyResponse.findMany({ where: { surveyId } });
    expect(row!.answers).toEqual({ [questionIds[0]!]: "o2", [questionIds[1]!]: 120, [questionIds[2]!]: 4 });
    expect(row!.locale).toBe("zh");
  });

  it("of an anonymous survey are stored with no user reference, and the draft that knew whose they were is gone", async () => {
    const { surveyId, questionIds } = await openSurvey({ anonymous: true }, [{ type: "long_text", promptEn: "Tell us", promptZh: "请告诉我们" }]);
    const { member, session } = wyoming[3]!;
    await postForm(server.url, `/surveys/${surveyId}`, { intent: "draft", [`q_${questionIds[0]}`]: "half" }, { cookie: session.cookie });
    expect(await db.surveyDraft.count({ where: { surveyId, respondentKey: `user:${member.id}` } })).toBe(1);
    const page = await get(server.url, `/surveys/${surveyId}`, { cookie: session.cookie });
    expect(pageText(page.body)).toContain("Welcome back: your saved answers are filled in.");
    await postForm(server.url, `/surveys/${surveyId}`, { intent: "submit", [`q_${questionIds[0]}`]: "Retraining matters most" }, { cookie: session.cookie });

    const rows = await db.$queryRaw<Record<string, unknown>[]>`SELECT * FROM survey_responses WHERE survey_id = ${surveyId}`;
    expect(rows).toHaveLength(1);
    const row = rows[0]!;
    expect(row.user_id).toBeNull();
    // The day only, so the time cannot be matched with the member's other activity.
    expect((row.submitted_at as Date).toISOString()).toMatch(/T00:00:00\.000Z$/);
    expect(row.updated_at).toBeNull();
    const stored = JSON.stringify(row);
    for (const identity of [member.id, member.email, member.displayName]) expect(stored).not.toContain(identity);
    expect(await db.surveyDraft.count({ where: { surveyId } })).toBe(0);
    // That the member answered is known (one response each), not which response is theirs.
    expect(await db.surveyReceipt.findMany({ where: { surveyId } })).toEqual([{ surveyId, respondentKey: `user:${member.id}` }]);
    expect((await apiCommand(server.url, "surveyResponse.save", { surveyId, answers: {}, submit: true }, { cookie: session.cookie })).code).toBe("survey_answered");
  });

  it("of an attributed survey keep the respondent, who may change them until it closes", async () => {
    const { surveyId, questionIds } = await openSurvey({ anonymous: false }, [{ type: "short_text", promptEn: "Name a project", promptZh: "列举一个项目" }]);
    const { member, session } = wyoming[4]!;
    const q = `q_${questionIds[0]}`;
    await postForm(server.url, `/surveys/${surveyId}`, { intent: "submit", [q]: "Solar farm" }, { cookie: session.cookie });
    await postForm(server.url, `/surveys/${surveyId}`, { intent: "submit", [q]: "Wind farm" }, { cookie: session.cookie });
    const rows = await db.surveyResponse.findMany({ where: { surveyId } });
    expect(rows.map((r) => [r.userId, r.answers])).toEqual([[member.id, { [questionIds[0]!]: "Wind farm" }]]);
    expect(rows[0]!.updatedAt).not.toBeNull();
    await apiCommand(server.url, "survey.close", { surveyId }, { cookie: staff.cookie });
    const late = await postForm(server.url, `/surveys/${surveyId}`, { intent: "submit", [q]: "Too late" }, { cookie: session.cookie });
    expect(late.status).toBe(409);
    expect((await db.surveyResponse.findFirstOrThrow({ where: { surveyId } })).answers).toEqual({ [questionIds[0]!]: "Wind farm" });
    // The member's own data export carries their attributed answers; anonymous ones are nobody's.
    const own = JSON.parse((await get(server.url, "/settings/data.json", { cookie: session.cookie })).body) as { surveyResponses: { answers: unknown }[] };
    expect(own.surveyResponses.map((r) => r.answers)).toEqual([{ [questionIds[0]!]: "Wind farm" }]);
    const anonymousRespondent = (await get(server.url, "/settings/data.json", { cookie: wyoming[3]!.session.cookie })).body;
    expect(anonymousRespondent).not.toContain("Retraining matters most");
  });
});

describe("results", () => {
  let surveyId: string;
  let questionIds: string[];

  beforeAll(async () => {
    ({ surveyId, questionIds } = await openSurvey({ anonymous: true, sharesResults: true }, [
      { type: "single_choice", promptEn: "Compared with five years ago, jobs are…", promptZh: "与五年前相比,就业机会……", options: CHOICES, required: true },
      { type: "long_text", promptEn: "What would help most?", promptZh: "什么帮助最大?" },
    ]));
    const [choice, text] = questionIds as [string, string];
    for (const [i, { session }] of wyoming.entries()) {
      const answer = await apiCommand(server.url, "surveyResponse.save", { surveyId, answers: { [choice]: i < 4 ? "o1" : "o2", [text]: `Wyoming answer ${i}` }, submit: true, locale: "en" }, { cookie: session.cookie });
      expect(answer.code).toBe("ok");
    }
    for (const [i, { session }] of shanxi.entries()) {
      await apiCommand(server.url, "surveyResponse.save", { surveyId, answers: { [choice]: "o3", [text]: `煤矿工人需要新的工作 ${i}` }, submit: true, locale: "zh" }, { cookie: session.cookie });
    }
  });

  it("are never another member's answers: a respondent sees counts, not texts, and no export", async () => {
    const reader = shanxi[0]!.session.cookie;
    const page = await get(server.url, `/surveys/${surveyId}/results`, { cookie: reader });
    expect(page.status).toBe(200);
    const text = pageText(page.body);
    expect(text).toContain("共 8 份回答");
    expect(text).toContain("文字回答仅供研究团队阅读。");
    expect(text).not.toContain("Wyoming answer");
    expect(text).not.toContain("煤矿工人需要新的工作");
    expect((await get(server.url, `/surveys/${surveyId}/results.csv`, { cookie: reader })).status).toBe(403);
    expect((await get(server.url, `/surveys/${surveyId}/results.json`, { cookie: reader })).status).toBe(403);
    // Someone who has not answered does not see the results at all.
    expect((await get(server.url, `/surveys/${surveyId}/results`, { cookie: nowhere.session.cookie })).status).toBe(404);
    // Their own answer page shows only what they wrote.
    expect(pageText((await get(server.url, `/surveys/${surveyId}`, { cookie: reader })).body)).not.toContain("Wyoming answer");
  });

  it("withhold every breakdown of fewer than five answers on an anonymous survey", async () => {
    const page = await get(server.url, `/surveys/${surveyId}/results`, { cookie: staff.cookie });
    const text = pageText(page.body);
    // Wyoming (6 answers) and the U.S. are shown; Shanxi (2) and China are withheld.
    expect(text).toContain("United States (6)");
    expect(text).toContain("China: withheld (too few answers)");
    expect(text).toMatch(/Wyoming \(6\)/);
    expect(text).not.toMatch(/Shanxi \(2\)/);
    const regionTable = /<table[^>]*data-testid="region-table"[\s\S]*?<\/table>/.exec(page.body)![0];
    expect(regionTable.match(/data-withheld="true"/g)).toHaveLength(3);
    expect(pageText(regionTable)).toContain("66.7%");
    // Overall counts stay: 4 better, 2 same, 2 worse.
    expect(text).toMatch(/Better\s*4\s*50%/);
    // The chart is an image with its values in words.
    expect(page.body).toMatch(/<svg[^>]*role="img"/);
    expect(page.body).toContain("<desc");
    expect(pageText(page.body)).toContain("Better: 4 (50%)");
  });

  it("export as CSV (UTF-8 with BOM) that parses back with the Chinese intact, and as JSON", async () => {
    const response = await fetch(new URL(`/surveys/${surveyId}/results.csv`, server.url), { headers: { cookie: staff.cookie } });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    expect(response.headers.get("content-disposition")).toMatch(/^attachment;/);
    const bytes = new Uint8Array(await response.arrayBuffer());
    expect([...bytes.slice(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    const records = parse(Buffer.from(bytes), { bom: true, columns: true }) as Record<string, string>[];
    expect(records).toHaveLength(8);
    const textColumn = "Q2. What would help most? / 什么帮助最大?";
    const choiceColumn = "Q1. Compared with five years ago, jobs are… / 与五年前相比,就业机会……";
    expect(Object.keys(records[0]!)).toEqual(["response_id", "submitted", "language", "region", "country", choiceColumn, textColumn]);
    const chinese = records.filter((r) => r.language === "zh");
    expect(chinese.map((r) => r[textColumn]).sort()).toEqual(["煤矿工人需要新的工作 0", "煤矿工人需要新的工作 1"]);
    expect(chinese.map((r) => [r.region, r.country, r[choiceColumn]])).toEqual([
      ["Shanxi / 山西省", "CN", "Worse / 更差"],
      ["Shanxi / 山西省", "CN", "Worse / 更差"],
    ]);
    // Anonymous: no respondent column, no member's name anywhere.
    const csv = Buffer.from(bytes).toString("utf8");
    for (const { member } of [...wyoming, ...shanxi]) expect(csv).not.toContain(member.email);

    const json = (await (await fetch(new URL(`/surveys/${surveyId}/results.json`, server.url), { headers: { cookie: staff.cookie } })).json()) as {
      responses: { answers: Record<string, unknown>; respondent?: unknown }[];
    };
    expect(json.responses).toHaveLength(8);
    expect(json.responses.every((r) => !("respondent" in r))).toBe(true);
  });
});

describe("announcements", () => {
  it("tell the audience once when a survey opens, and remind those who have not answered before it closes", async () => {
    const before = await db.notification.count({ where: { type: "survey_opened" } });
    const { surveyId, questionIds } = await openSurvey({ titleZh: "地区问卷", audience: "regions", regionIds: [await regionId("shanxi")] }, [{ type: "short_text", promptEn: "Hi", promptZh: "你好" }]);
    const told = await db.notification.findMany({ where: { type: "survey_opened", data: { path: ["surveyId"], equals: surveyId } }, select: { userId: true } });
    expect(told.map((n) => n.userId).sort()).toEqual(shanxi.map((s) => s.member.id).sort());
    expect(await db.notification.count({ where: { type: "survey_opened" } })).toBe(before + 2);
    const list = pageText((await get(server.url, "/notifications", { cookie: shanxi[1]!.session.cookie })).body);
    expect(list).toContain("有一份新问卷邀请您作答");
    // And by email, in the member's language, with a link to the survey and one-click unsubscribe.
    const opened = await sink.waitFor((m) => m.to.includes(shanxi[1]!.member.email.toLowerCase()) && m.subject === "新问卷:地区问卷", 20_000, "the opening email");
    const link = opened.links.find((l) => l.endsWith(`/surveys/${surveyId}`));
    expect(link).toBeDefined();
    expect((await get(server.url, new URL(link!).pathname, { cookie: shanxi[1]!.session.cookie })).status).toBe(200);
    expect(opened.text).toContain("您的回答是匿名的");
    expect(opened.text).toContain("您收到此邮件,是因为您在这份问卷的对象之中");
    expect(opened.header("list-unsubscribe")).toMatch(/\/email\/unsubscribe\//);

    await apiCommand(server.url, "surveyResponse.save", { surveyId, answers: { [questionIds[0]!]: "已回答" }, submit: true }, { cookie: shanxi[0]!.session.cookie });
    await db.survey.update({ where: { id: surveyId }, data: { closesAt: new Date(Date.now() + 3 * 60 * 60 * 1000) } });
    let reminded: { userId: string }[] = [];
    for (let i = 0; i < 40 && reminded.length === 0; i++) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      reminded = await db.notification.findMany({ where: { type: "survey_closing", data: { path: ["surveyId"], equals: surveyId } }, select: { userId: true } });
    }
    expect(reminded.map((n) => n.userId)).toEqual([shanxi[1]!.member.id]);
    expect(await db.emailMessage.count({ where: { kind: "survey_announcement", refId: surveyId, payload: { path: ["phase"], equals: "closing" } } })).toBe(1);
    await sink.waitFor((m) => m.to.includes(shanxi[1]!.member.email.toLowerCase()) && m.subject === "即将截止:地区问卷", 20_000, "the reminder email");
    // Once only, however many ticks pass.
    await new Promise((resolve) => setTimeout(resolve, 4500));
    expect(await db.notification.count({ where: { type: "survey_closing", data: { path: ["surveyId"], equals: surveyId } } })).toBe(1);
  });
});

describe("the demo survey", () => {
  it("is opened by the embedded database's seed to all members, in both languages, once", async () => {
    const { seedDatabase } = await import("../../prisma/seed");
    const demo = await createTestDatabase();
    const demoDb = openPrisma(demo.url);
    try {
      await seedDatabase(demoDb, { demoAccounts: true });
      await seedDatabase(demoDb, { demoAccounts: true });
      const surveys = await demoDb.survey.findMany({ include: { questions: { orderBy: { position: "asc" } } } });
      expect(surveys).toHaveLength(1);
      const [survey] = surveys as [(typeof surveys)[number]];
      expect([survey.audience, survey.openedAt !== null, survey.closesAt! > new Date()]).toEqual(["all_members", true, true]);
      expect(survey.titleEn).toMatch(/just transition/i);
      expect(survey.titleZh).toMatch(/公正转型/);
      expect(survey.questions).toHaveLength(6);
      expect(new Set(survey.questions.map((q) => q.type)).size).toBeGreaterThanOrEqual(5);
      for (const q of survey.questions) expect([q.promptEn !== "", /\p{Script=Han}/u.test(q.promptZh)]).toEqual([true, true]);
    } finally {
      await demoDb.$disconnect();
      await demo.drop();
    }
  });
});
