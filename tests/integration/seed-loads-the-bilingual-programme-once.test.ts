/**
 * The first start on an external database seeds the programme from the source page in both
 * languages, creates no demo account, and prints a one-time link for the first admin.
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { seedDatabase } from "../../prisma/seed";
import { demoAccounts, regions as seedRegions } from "../../prisma/seed-data";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { uniqueSuffix } from "../helpers/env";
import { openPrisma } from "../helpers/factories";
import { findSetCookie, get, pageText, postForm } from "../helpers/http";
import { firstAdminLink, startServer, type RunningServer } from "../helpers/server";

const SEPT_23 = "2024-09-23-economic-diversification";
const CLIMATE_FINANCE = "2024-12-climate-finance";
const ROLE_OF_BUSINESS = "2022-dialogue-3-role-of-business";
const STUDY = "just-transition-study";

const SEPT_23_ABSTRACT_EN = [
  "For the globe to act on climate, the U.S. and China must lead.",
  "Put together, Wyoming, West Virginia, and China’s northwest regions represent nearly 35% of global coal production.",
  "This dialogue will analyze and explore economic diversification plans and future key industries for Shanxi",
];
const SEPT_23_ABSTRACT_ZH = [
  "为了全球应对气候变化,美国和中国必须发挥领导作用。",
  "怀俄明州、西弗吉尼亚州和中国西北地区加起来,占全球煤炭产量的近35%。",
  "此次对话将分析和探讨山西的经济多元化计划和未来关键产业",
];

/** A page in Chinese, chosen through the language switch (the `lng` cookie). */
async function chineseCookie(server: RunningServer): Promise<string> {
  const response = await postForm(server.url, "/locale", { locale: "zh", redirectTo: "/" });
  expect(response.status).toBe(302);
  const cookie = findSetCookie(response, "lng");
  expect(cookie).toBeDefined();
  return cookie!.pair;
}

async function snapshot(db: PrismaClient) {
  return {
    regions: (await db.region.findMany({ orderBy: { slug: "asc" } })).map((r) => `${r.slug}=${r.id}`),
    series: (await db.series.findMany({ orderBy: { slug: "asc" } })).map((s) => `${s.slug}=${s.id}`),
    dialogues: (await db.dialogue.findMany({ orderBy: { slug: "asc" } })).map((d) => `${d.slug}=${d.id}`),
    dialogueRegions: (await db.dialogueRegion.findMany({ orderBy: [{ dialogueId: "asc" }, { regionId: "asc" }] })).map(
      (dr) => `${dr.dialogueId}/${dr.regionId}`,
    ),
    threads: (await db.thread.findMany({ orderBy: { id: "asc" } })).map((t) => `${t.dialogueId}=${t.id}`),
    users: await db.user.count(),
  };
}

describe("seeding on the first start against an external database", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
  });

  afterAll(async () => {
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it("stores the page's dialogues with English and Chinese titles and abstracts", async () => {
    expect(await db.series.count()).toBe(3);
    expect(await db.dialogue.count()).toBe(7);

    const finance = await db.dialogue.findUniqueOrThrow({ where: { slug: CLIMATE_FINANCE } });
    expect(finance.titleEn).toBe("Climate Finance and Subnational Approaches");
    expect(finance.titleZh).toBe("美国和中国的气候融资与煤炭产区");
    expect(finance.status).toBe("tbd");

    const business = await db.dialogue.findUniqueOrThrow({ where: { slug: ROLE_OF_BUSINESS } });
    expect(business.titleEn).toContain("The Role of Business in the Energy Transition");
    expect(business.titleZh).toContain("企业在能源转型中的作用");

    const sept23 = await db.dialogue.findUniqueOrThrow({ where: { slug: SEPT_23 } });
    expect(sept23.startsOn).toBe("2024-09-23");
    for (const sentence of SEPT_23_ABSTRACT_EN) expect(sept23.abstractEn).toContain(sentence);
    for (const sentence of SEPT_23_ABSTRACT_ZH) expect(sept23.abstractZh).toContain(sentence);

    const study = await db.dialogue.findUniqueOrThrow({
      where: { slug: STUDY },
      include: { regions: { include: { region: true } } },
    });
    expect(study.kind).toBe("study");
    expect(study.titleEn).toBe("Just Transition Study");
    expect(study.titleZh).toBe("公正转型研究");
    expect([study.periodStart, study.periodEnd]).toEqual(["2022-08", "2023-12"]);
    expect(study.regions.map((r) => r.region.slug).sort()).toEqual(["west-virginia", "wyoming"]);
  });

  it("stores the five regions with English and Chinese names", async () => {
    const regions = await db.region.findMany({ orderBy: { position: "asc" } });
    expect(regions.map((r) => ({ slug: r.slug, nameEn: r.nameEn, nameZh: r.nameZh, country: r.country }))).toEqual([
      { slug: "wyoming", nameEn: "Wyoming", nameZh: "怀俄明州", country: "US" },
      { slug: "west-virginia", nameEn: "West Virginia", nameZh: "西弗吉尼亚州", country: "US" },
      { slug: "shanxi", nameEn: "Shanxi", nameZh: "山西省", country: "CN" },
      { slug: "inner-mongolia", nameEn: "Inner Mongolia", nameZh: "内蒙古自治区", country: "CN" },
      { slug: "shaanxi", nameEn: "Shaanxi", nameZh: "陕西省", country: "CN" },
    ]);
    expect(regions.map((r) => r.slug)).toEqual(seedRegions.map((r) => r.slug));
  });

  it("opens one discussion thread per dialogue, titled like it", async () => {
    const dialogues = await db.dialogue.findMany({ include: { threads: true } });
    expect(dialogues).toHaveLength(7);
    for (const dialogue of dialogues) {
      expect(dialogue.threads, dialogue.slug).toHaveLength(1);
      expect(dialogue.threads[0].titleEn).toBe(dialogue.titleEn);
      expect(dialogue.threads[0].titleZh).toBe(dialogue.titleZh);
    }
    expect(await db.thread.count()).toBe(7);
  });

  it("serves the programme in English and, after the language switch, in Chinese", async () => {
    const english = pageText((await get(server.url, "/")).body);
    for (const text of ["Climate Finance and Subnational Approaches", "The Role of Business in the Energy Transition", "Just Transition Study", "Wyoming", "West Virginia", "Shanxi", "Inner Mongolia", "Shaanxi"]) {
      expect(english).toContain(text);
    }

    const zh = await chineseCookie(server);
    const chinese = pageText((await get(server.url, "/", { cookie: zh })).body);
    for (const text of ["美国和中国的气候融资与煤炭产区", "企业在能源转型中的作用", "公正转型研究", "怀俄明州", "西弗吉尼亚州", "山西省", "内蒙古自治区", "陕西省"]) {
      expect(chinese).toContain(text);
    }
  });

  it("serves the 23 September 2024 abstract and the study's period and regions in both languages", async () => {
    const zh = await chineseCookie(server);

    const sept23En = await get(server.url, `/dialogues/${SEPT_23}`);
    expect(sept23En.status).toBe(200);
    for (const sentence of SEPT_23_ABSTRACT_EN) expect(pageText(sept23En.body)).toContain(sentence);
    expect(pageText(sept23En.body)).toContain("Monday, September 23, 2024");
    const sept23Zh = await get(server.url, `/dialogues/${SEPT_23}`, { cookie: zh });
    for (const sentence of SEPT_23_ABSTRACT_ZH) expect(pageText(sept23Zh.body)).toContain(sentence);
    expect(pageText(sept23Zh.body)).toContain("2024年9月23日");

    const studyEn = pageText((await get(server.url, `/dialogues/${STUDY}`)).body);
    expect(studyEn).toContain("August 2022 – December 2023");
    expect(studyEn).toContain("Wyoming");
    expect(studyEn).toContain("West Virginia");
    const studyZh = pageText((await get(server.url, `/dialogues/${STUDY}`, { cookie: zh })).body);
    expect(studyZh).toContain("2022年8月 – 2023年12月");
    expect(studyZh).toContain("怀俄明州");
    expect(studyZh).toContain("西弗吉尼亚州");
  });

  it("adds nothing and keeps every id when the seed runs again", async () => {
    const before = await snapshot(db);
    const counts = await seedDatabase(db, { demoAccounts: false });
    expect(counts).toEqual({ regions: 5, series: 3, dialogues: 7, threads: 7 });
    expect(await snapshot(db)).toEqual(before);
  });

  it("creates no demo account and prints a first-admin link instead", async () => {
    const demoEmails = demoAccounts.map((a) => a.email);
    expect(await db.user.count({ where: { email: { in: demoEmails } } })).toBe(0);
    expect(await db.user.count()).toBe(0);
    expect(server.output()).not.toMatch(/demo accounts/);
    const link = firstAdminLink(server.output());
    expect(link).toMatch(new RegExp(`^${server.url}/signup\\?invitation=`));
  });

  it("lets that link sign up one admin, once", async () => {
    const link = new URL(firstAdminLink(server.output())!);
    const token = link.searchParams.get("invitation")!;
    const path = link.pathname + link.search;
    const form = (email: string) => ({
      invitation: token,
      email,
      password: "first-admin-password",
      displayName: "First Admin",
      organisation: "Coal Regions Network",
      regionId: "",
      locale: "en",
    });

    const first = await postForm(server.url, path, form(`first-admin-${uniqueSuffix()}@test.example`));
    expect(first.status).toBe(302);
    expect(findSetCookie(first, "crn_session")?.value).toBeTruthy();
    expect(await db.user.count({ where: { role: "admin" } })).toBe(1);

    const secondEmail = `second-admin-${uniqueSuffix()}@test.example`;
    const second = await postForm(server.url, path, form(secondEmail));
    expect(second.status).toBe(400);
    expect(pageText(second.body)).toContain("This invitation link is invalid, expired or already used.");
    expect(await db.user.count({ where: { email: secondEmail } })).toBe(0);
    expect(await db.user.count({ where: { role: "admin" } })).toBe(1);
  });

  it("prints no new link and seeds nothing more on the next start, once an admin exists", async () => {
    const before = await snapshot(db);
    expect((await server.stop()).code).toBe(0);
    server = await startServer({ databaseUrl: database.url });
    expect(firstAdminLink(server.output())).toBeNull();
    expect(server.output()).not.toMatch(/seeded/);
    expect(await snapshot(db)).toEqual(before);
  });
});

describe("two processes starting together on a fresh database", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let servers: RunningServer[] = [];

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.stop()));
    await db?.$disconnect();
    await database?.drop();
  });

  it("seed it once: one thread per dialogue, nothing twice", async () => {
    servers = await Promise.all([startServer({ databaseUrl: database.url }), startServer({ databaseUrl: database.url })]);
    expect(servers.filter((s) => /seeded the programme/.test(s.output()))).toHaveLength(1);
    expect(await db.region.count()).toBe(5);
    expect(await db.series.count()).toBe(3);
    expect(await db.dialogue.count()).toBe(7);
    expect(await db.thread.count()).toBe(7);
  });
});
