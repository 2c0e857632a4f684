/**
 * Case studies over HTTP against the built server: language versions and their "may be out of
 * date" flags, who sees drafts, members-only and public reading (with meta tags), the list's
 * filters, and the search index following every write.
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { command, createStudy, ids, ok } from "../helpers/case-studies";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { uniqueSuffix } from "../helpers/env";
import { createMember, openPrisma } from "../helpers/factories";
import { get, pageText } from "../helpers/http";
import { startServer, type RunningServer } from "../helpers/server";

describe("case studies", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let author: SignedIn;
  let translator: SignedIn;
  let other: SignedIn;
  let admin: SignedIn;
  let zhReader: SignedIn;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    const members = await Promise.all([
      createMember(db, { region: "shanxi", displayName: "Author 作者" }),
      createMember(db, { region: "west-virginia", displayName: "Translator" }),
      createMember(db, { displayName: "Other member" }),
      createMember(db, { role: "admin", displayName: "Admin" }),
      createMember(db, { displayName: "读者", locale: "zh" }),
    ]);
    [author, translator, other, admin, zhReader] = await Promise.all(members.map((m) => signIn(server.url, m.email, m.password)));
  });

  afterAll(async () => {
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  const versions = async (caseStudyId: string) => {
    const rows = await db.caseStudyVersion.findMany({ where: { caseStudyId } });
    return Object.fromEntries(rows.map((v) => [v.language, v]));
  };

  it("marks the counterpart out of date when a version is edited after it, and clears it when the counterpart is updated; adding a version marks nothing", async () => {
    const id = await createStudy(server.url, db, author.cookie, { title: "Shanxi coal-mine methane to power", topics: ["carbon-capture-methane"] });
    // A colleague adds the Chinese version: nothing is out of date.
    await ok(server.url, "caseStudyVersion.save", { caseStudyId: id, language: "zh", title: "山西煤矿瓦斯发电", summary: "", body: "瓦斯发电的经验。", translation: "human" }, translator.cookie);
    let v = await versions(id);
    expect(v.en!.outdated).toBe(false);
    expect(v.zh!.outdated).toBe(false);
    expect(v.zh!.translation).toBe("human");

    // The author edits the English version: the Chinese one may now be out of date.
    await ok(server.url, "caseStudyVersion.save", { caseStudyId: id, language: "en", title: "Shanxi coal-mine methane to power (2025 update)", body: "New figures for 2025.", translation: "original" }, author.cookie);
    v = await versions(id);
    expect(v.en!.outdated).toBe(false);
    expect(v.zh!.outdated).toBe(true);
    const zhPage = await get(server.url, `/case-studies/${id}?lang=zh`, { cookie: other.cookie });
    expect(zhPage.status).toBe(200);
    expect(zhPage.body).toContain('data-testid="outdated-notice"');
    expect(pageText(zhPage.body)).toContain("May be out of date: the English version was updated after this one.");
    expect(pageText(zhPage.body)).toContain("Translated by Translator");
    expect(pageText(zhPage.body)).toContain("Human translation");
    const enPage = await get(server.url, `/case-studies/${id}?lang=en`, { cookie: other.cookie });
    expect(enPage.body).not.toContain('data-testid="outdated-notice"');

    // The translator catches up: the flag is cleared (and the English one stays current).
    await ok(server.url, "caseStudyVersion.save", { caseStudyId: id, language: "zh", title: "山西煤矿瓦斯发电（2025 年更新）", body: "2025 年的新数据。", translation: "human" }, translator.cookie);
    v = await versions(id);
    expect(v.zh!.outdated).toBe(false);
    expect(v.en!.outdated).toBe(false);
    const zhAgain = await get(server.url, `/case-studies/${id}?lang=zh`, { cookie: other.cookie });
    expect(zhAgain.body).not.toContain('data-testid="outdated-notice"');

    // A member who neither wrote the case study nor the version cannot edit it.
    const refused = await command(server.url, "caseStudyVersion.save", { caseStudyId: id, language: "en", title: "Hijack", body: "x" }, other.cookie);
    expect(refused.status).toBe(403);
  });

  it("shows the reader's language with a switch, and both versions side by side", async () => {
    const id = await createStudy(server.url, db, author.cookie, { title: "Wyoming wind workforce", topics: ["workforce-transition"], regions: ["wyoming"] });
    await ok(server.url, "caseStudyVersion.save", { caseStudyId: id, language: "zh", title: "怀俄明州风电劳动力", body: "风电培训。", translation: "machine" }, author.cookie);
    const zhPage = await get(server.url, `/case-studies/${id}`, { cookie: zhReader.cookie });
    expect(zhPage.body).toContain('<html lang="zh-CN"');
    expect(pageText(zhPage.body)).toContain("怀俄明州风电劳动力");
    expect(pageText(zhPage.body)).toContain("阅读英文版");
    expect(zhPage.body).toContain(`href="/case-studies/${id}?lang=en"`);
    expect(pageText(zhPage.body)).toContain("机器翻译");
    const enPage = await get(server.url, `/case-studies/${id}`, { cookie: other.cookie });
    expect(pageText(enPage.body)).toContain("Wyoming wind workforce");
    expect(pageText(enPage.body)).toContain("Read in Chinese (中文)");
    const side = await get(server.url, `/case-studies/${id}?view=side-by-side`, { cookie: other.cookie });
    expect(side.body).toContain('data-testid="side-by-side"');
    expect(side.body).toContain('data-testid="version-en"');
    expect(side.body).toContain('data-testid="version-zh"');
    expect(side.body).toMatch(/<article[^>]*lang="zh-CN"/);
  });

  it("keeps drafts to their author (and admins): others get 404 and never see them in lists", async () => {
    const title = `Draft on Inner Mongolia solar ${uniqueSuffix()}`;
    const id = await createStudy(server.url, db, author.cookie, { title, regions: ["inner-mongolia"], publish: false, isPublic: true });
    expect((await get(server.url, `/case-studies/${id}`, { cookie: other.cookie })).status).toBe(404);
    expect((await get(server.url, `/case-studies/${id}`)).status).toBe(404);
    expect((await get(server.url, `/case-studies/${id}`, { cookie: author.cookie })).status).toBe(200);
    expect((await get(server.url, `/case-studies/${id}`, { cookie: admin.cookie })).status).toBe(200);
    expect(pageText((await get(server.url, "/case-studies", { cookie: other.cookie })).body)).not.toContain(title);
    expect(pageText((await get(server.url, "/case-studies")).body)).not.toContain(title);
    const own = await get(server.url, "/case-studies", { cookie: author.cookie });
    expect(own.body).toContain('data-testid="my-drafts"');
    expect(pageText(own.body)).toContain(title);
    // Writes on another member's draft are refused as if it did not exist.
    expect((await command(server.url, "caseStudy.endorse", { caseStudyId: id }, other.cookie)).status).toBe(404);
    expect((await command(server.url, "caseStudyVersion.save", { caseStudyId: id, language: "zh", title: "x", body: "x" }, other.cookie)).status).toBe(404);
  });

  it("lets anyone read a public case study with title, description, Open Graph and language tags; members-only ones ask for sign-in", async () => {
    const id = await createStudy(server.url, db, author.cookie, {
      title: "West Virginia mine-land reclamation",
      summary: "Turning former mine land into solar farms.",
      regions: ["west-virginia"],
      isPublic: true,
    });
    await ok(server.url, "caseStudyVersion.save", { caseStudyId: id, language: "zh", title: "西弗吉尼亚州矿区土地复垦", summary: "将废弃矿区改造为太阳能电站。", body: "复垦。", translation: "human" }, author.cookie);
    const page = await get(server.url, `/case-studies/${id}`);
    expect(page.status).toBe(200);
    expect(page.body).toContain('<html lang="en"');
    expect(page.body).toContain("<title>West Virginia mine-land reclamation · Coal Regions Network</title>");
    expect(page.body).toContain('<meta name="description" content="Turning former mine land into solar farms."');
    expect(page.body).toContain('<meta property="og:title" content="West Virginia mine-land reclamation"');
    expect(page.body).toContain('<meta property="og:locale" content="en_US"');
    expect(page.body).toContain('<meta property="og:locale:alternate" content="zh_CN"');
    expect(page.body).toMatch(new RegExp(`<link rel="alternate" hrefLang="zh-CN" href="[^"]*/case-studies/${id}\\?lang=zh"`, "i"));
    expect(page.body).toMatch(new RegExp(`<link rel="alternate" hrefLang="en" href="[^"]*/case-studies/${id}\\?lang=en"`, "i"));
    const zh = await get(server.url, `/case-studies/${id}?lang=zh`);
    expect(zh.body).toContain('<html lang="en"'); // the UI language stays the reader's
    expect(zh.body).toContain('<meta property="og:locale" content="zh_CN"');
    expect(zh.body).toContain("<title>西弗吉尼亚州矿区土地复垦 · Coal Regions Network</title>");
    expect(pageText((await get(server.url, "/case-studies")).body)).toContain("West Virginia mine-land reclamation");

    const membersOnly = await createStudy(server.url, db, author.cookie, { title: "Members-only Shaanxi study", regions: ["shaanxi"] });
    const refused = await get(server.url, `/case-studies/${membersOnly}`);
    expect(refused.status).toBe(302);
    expect(refused.location).toBe(`/signin?redirectTo=${encodeURIComponent(`/case-studies/${membersOnly}`)}`);
    expect(pageText((await get(server.url, "/case-studies")).body)).not.toContain("Members-only Shaanxi study");
    expect(pageText((await get(server.url, "/case-studies", { cookie: other.cookie })).body)).toContain("Members-only Shaanxi study");
  });

  it("combines the list's filters with AND (region, topic, language, country)", async () => {
    const tag = uniqueSuffix();
    const a = `A-${tag} Shanxi clean energy zh`;
    const b = `B-${tag} Shanxi workforce en`;
    const c = `C-${tag} Wyoming clean energy zh`;
    const d = `D-${tag} Shanxi+Wyoming clean energy both`;
    await createStudy(server.url, db, author.cookie, { title: a, language: "zh", regions: ["shanxi"], topics: ["clean-energy"] });
    await createStudy(server.url, db, author.cookie, { title: b, language: "en", regions: ["shanxi"], topics: ["workforce-transition"] });
    await createStudy(server.url, db, author.cookie, { title: c, language: "zh", regions: ["wyoming"], topics: ["clean-energy"] });
    const dId = await createStudy(server.url, db, author.cookie, { title: d, language: "en", regions: ["shanxi", "wyoming"], topics: ["clean-energy", "climate-finance"] });
    await ok(server.url, "caseStudyVersion.save", { caseStudyId: dId, language: "zh", title: `${d} 中文`, body: "双语。" }, author.cookie);

    const titles = async (query: string) => {
      const text = pageText((await get(server.url, `/case-studies?${query}`, { cookie: other.cookie })).body);
      return [a, b, c, d].filter((title) => text.includes(title.slice(0, 12))).map((title) => title[0]);
    };
    // D has a Chinese version too, so it matches language=zh.
    expect(await titles("region=shanxi&topic=clean-energy&language=zh")).toEqual(["A", "D"]);
    expect(await titles("region=wyoming&topic=clean-energy&language=en")).toEqual(["D"]);
    expect(await titles("region=shanxi&topic=clean-energy")).toEqual(["A", "D"]);
    expect(await titles("region=shanxi")).toEqual(["A", "B", "D"]);
    expect(await titles("topic=clean-energy&language=en")).toEqual(["D"]);
    expect(await titles("country=US&topic=clean-energy")).toEqual(["C", "D"]);
    expect(await titles("country=CN&language=en")).toEqual(["B", "D"]);
    expect(await titles("region=wyoming&topic=workforce-transition")).toEqual([]);
  });

  it("keeps the search index in step: one document per version after publish, none after delete", async () => {
    const id = await createStudy(server.url, db, author.cookie, { title: "能源转型 in Shaanxi", language: "en", regions: ["shaanxi"], publish: false });
    const docs = () => db.searchDocument.findMany({ where: { caseStudyId: id, kind: "case_study" }, orderBy: { title: "asc" } });
    let rows = await docs();
    expect(rows).toHaveLength(1);
    expect(rows[0]!.published).toBe(false);
    await ok(server.url, "caseStudy.publish", { caseStudyId: id, published: true }, author.cookie);
    await ok(server.url, "caseStudyVersion.save", { caseStudyId: id, language: "zh", title: "陕西的能源转型", body: "煤炭地区的转型。" }, author.cookie);
    rows = await docs();
    expect(rows).toHaveLength(2);
    expect(rows.every((r) => r.published)).toBe(true);
    expect(rows.map((r) => r.languages[0]).sort()).toEqual(["en", "zh"]);
    const versionIds = (await db.caseStudyVersion.findMany({ where: { caseStudyId: id } })).map((v) => v.id).sort();
    expect(rows.map((r) => r.refId).sort()).toEqual(versionIds);

    const { regionIds, topicIds } = await ids(db, ["shaanxi", "inner-mongolia"], ["policy-governance"]);
    await ok(server.url, "caseStudy.update", { caseStudyId: id, regionIds, topicIds, isPublic: true }, author.cookie);
    rows = await docs();
    expect(rows.every((r) => r.isPublic && r.regionIds.length === 2)).toBe(true);

    await ok(server.url, "caseStudy.publish", { caseStudyId: id, published: false }, author.cookie);
    expect((await docs()).every((r) => !r.published)).toBe(true);

    await ok(server.url, "caseStudy.delete", { caseStudyId: id }, author.cookie);
    expect(await docs()).toHaveLength(0);
    expect((await get(server.url, `/case-studies/${id}`, { cookie: author.cookie })).status).toBe(404);
  });

  it("lets authors edit their own case studies and admins any, but not other members", async () => {
    const id = await createStudy(server.url, db, author.cookie, { title: "Edit rights" });
    const { regionIds, topicIds } = await ids(db, ["shanxi"], []);
    expect((await command(server.url, "caseStudy.update", { caseStudyId: id, regionIds, topicIds, isPublic: true }, other.cookie)).status).toBe(403);
    expect((await command(server.url, "caseStudy.delete", { caseStudyId: id }, other.cookie)).status).toBe(403);
    await ok(server.url, "caseStudy.update", { caseStudyId: id, regionIds, topicIds, isPublic: true }, admin.cookie);
    const noRegion = await command(server.url, "caseStudy.update", { caseStudyId: id, regionIds: [], topicIds, isPublic: true }, author.cookie);
    expect(noRegion.status).toBe(400);
    expect(noRegion.error).toMatchObject({ code: "region_required", field: "regionIds", message: "Choose at least one region." });
    // A Chinese-speaking member gets the message in Chinese.
    const zhRefused = await command(server.url, "caseStudy.create", { language: "zh", title: "无地区", body: "正文", regionIds: [], topicIds: [] }, zhReader.cookie);
    expect(zhRefused.error?.message).toBe("请至少选择一个地区。");
  });
});
