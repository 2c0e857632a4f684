/**
 * The member directory (/members), profiles (/members/<id>), the profile section of /settings
 * and region pages (/regions/<slug>), against the built server and a real database: filters
 * combine, signed-out visitors are sent to sign-in, a profile edit is validated and saved (or
 * refused whole), and case studies appear only where their status and audience allow.
 */
import type { CaseStudyStatus, PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { newId } from "~/utils/ids.server";
import { signIn, type SignedIn } from "../helpers/auth";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { uniqueSuffix } from "../helpers/env";
import { createMember, openPrisma, type TestMember } from "../helpers/factories";
import { get, pageText, postForm } from "../helpers/http";
import { startServer, type RunningServer } from "../helpers/server";

/** A member inserted directly (no password: these never sign in), for directory listings. */
async function insertMember(
  db: PrismaClient,
  data: { displayName: string; region?: string; organisation?: string; nameLatin?: string; nameChinese?: string; languages?: string[] },
) {
  const region = data.region ? await db.region.findUniqueOrThrow({ where: { slug: data.region } }) : null;
  return db.user.create({
    data: {
      id: newId(),
      email: `listed-${uniqueSuffix()}@test.example`,
      passwordHash: "not-a-hash",
      displayName: data.displayName,
      organisation: data.organisation ?? "",
      nameLatin: data.nameLatin ?? "",
      nameChinese: data.nameChinese ?? "",
      languages: data.languages ?? [],
      regionId: region?.id ?? null,
    },
  });
}

/** A case study with an English version, in the given regions. */
async function insertCaseStudy(
  db: PrismaClient,
  options: { authorId: string; title: string; status: CaseStudyStatus; isPublic?: boolean; deleted?: boolean; regions?: string[] },
) {
  const regions = await db.region.findMany({ where: { slug: { in: options.regions ?? [] } } });
  const id = newId();
  const now = new Date();
  await db.caseStudy.create({
    data: {
      id,
      authorId: options.authorId,
      status: options.status,
      isPublic: options.isPublic ?? false,
      publishedAt: options.status === "published" ? now : null,
      deletedAt: options.deleted ? now : null,
      versions: {
        create: {
          id: newId(),
          language: "en",
          title: options.title,
          summary: `Summary of ${options.title}`,
          content: { type: "doc", content: [] },
          text: options.title,
          authorId: options.authorId,
        },
      },
      regions: { create: regions.map((r) => ({ regionId: r.id })) },
    },
  });
  return id;
}

describe("the member directory, profiles and region pages", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let viewer: TestMember;
  let viewerSession: SignedIn;
  const tag = uniqueSuffix();

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    viewer = await createMember(db, { region: "west-virginia", displayName: `Viewer ${tag}` });
    viewerSession = await signIn(server.url, viewer.email, viewer.password);
  });

  afterAll(async () => {
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  describe("signed out", () => {
    it("sends a visitor to sign-in from the directory and from a profile, and back afterwards", async () => {
      const directory = await get(server.url, "/members?country=US");
      expect(directory.status).toBe(302);
      expect(directory.location).toBe(`/signin?redirectTo=${encodeURIComponent("/members?country=US")}`);
      const profile = await get(server.url, `/members/${viewer.id}`);
      expect(profile.status).toBe(302);
      expect(profile.location).toBe(`/signin?redirectTo=${encodeURIComponent(`/members/${viewer.id}`)}`);
      expect(pageText(directory.body)).not.toContain(viewer.displayName);
    });

    it("refuses a profile update", async () => {
      const response = await fetch(new URL("/api/commands/profile.update", server.url), {
        method: "POST",
        headers: { origin: new URL(server.url).origin, "content-type": "application/json" },
        body: JSON.stringify({ displayName: "Intruder" }),
      });
      expect(response.status).toBe(401);
      expect(await db.user.count({ where: { displayName: "Intruder" } })).toBe(0);
    });
  });

  describe("directory filters", () => {
    const names = {
      wyoming: `Dir Wyoming ${tag}`,
      westVirginia: `Dir West Virginia ${tag}`,
      shanxi: `Dir Shanxi ${tag}`,
      nowhere: `Dir Nowhere ${tag}`,
    };

    beforeAll(async () => {
      await insertMember(db, { displayName: names.wyoming, region: "wyoming", organisation: `Powder River Basin Council ${tag}` });
      await insertMember(db, { displayName: names.westVirginia, region: "west-virginia", organisation: "WVU Energy Institute" });
      await insertMember(db, { displayName: names.shanxi, region: "shanxi", nameChinese: "王丽", nameLatin: "Wang Li", organisation: "山西省能源局" });
      await insertMember(db, { displayName: names.nowhere });
    });

    async function listed(query: string): Promise<string[]> {
      const response = await get(server.url, `/members${query}`, { cookie: viewerSession.cookie });
      expect(response.status).toBe(200);
      const text = pageText(response.body);
      return Object.values(names).filter((name) => text.includes(name));
    }

    it("lists everyone without filters, sorted by name", async () => {
      const response = await get(server.url, "/members", { cookie: viewerSession.cookie });
      const text = pageText(response.body);
      const order = Object.values(names).map((n) => text.indexOf(n));
      expect(order.every((i) => i >= 0)).toBe(true);
      const sorted = [...Object.values(names)].sort();
      expect(Object.values(names).sort((a, b) => text.indexOf(a) - text.indexOf(b))).toEqual(sorted);
    });

    it("filters by country", async () => {
      expect((await listed("?country=US")).sort()).toEqual([names.westVirginia, names.wyoming].sort());
      expect(await listed("?country=CN")).toEqual([names.shanxi]);
    });

    it("filters by region", async () => {
      expect(await listed("?region=wyoming")).toEqual([names.wyoming]);
    });

    it("combines region AND country: a region outside the country matches nobody", async () => {
      expect(await listed("?region=wyoming&country=US")).toEqual([names.wyoming]);
      expect(await listed("?region=shanxi&country=US")).toEqual([]);
      const response = await get(server.url, "/members?region=shanxi&country=US", { cookie: viewerSession.cookie });
      expect(response.body).toContain('data-testid="directory-empty"');
    });

    it("filters by name in either script and by organisation, together with the other filters", async () => {
      expect(await listed("?q=" + encodeURIComponent("王丽"))).toEqual([names.shanxi]);
      expect(await listed("?q=wang%20li")).toEqual([names.shanxi]);
      expect(await listed(`?q=${encodeURIComponent(`powder river basin council ${tag}`)}`)).toEqual([names.wyoming]);
      expect(await listed(`?q=${encodeURIComponent(`powder river basin council ${tag}`)}&country=CN`)).toEqual([]);
    });

    it("pages through a long list by name without repeating or skipping anyone", async () => {
      const org = `Paging Org ${tag}`;
      const created: string[] = [];
      for (let i = 0; i < 30; i++) {
        // Names that tie are ordered by id, so the keyset must handle equal names too.
        const name = `Pager ${String.fromCharCode(65 + (i % 13))} ${tag}`;
        await insertMember(db, { displayName: name, organisation: org });
        created.push(name);
      }
      const seen: string[] = [];
      let path: string | null = `/members?q=${encodeURIComponent(org)}`;
      let pages = 0;
      while (path && pages < 5) {
        const response = await get(server.url, path, { cookie: viewerSession.cookie });
        expect(response.status).toBe(200);
        const hrefs = [...response.body.matchAll(/class="member-name"[^>]*>([^<]+)</g)].map((m) => m[1]);
        seen.push(...hrefs);
        const next = /href="([^"]+)"[^>]*rel="next"/.exec(response.body) ?? /rel="next"[^>]*href="([^"]+)"/.exec(response.body);
        path = next ? next[1].replace(/&amp;/g, "&") : null;
        pages++;
      }
      expect(pages).toBe(2);
      expect(seen).toHaveLength(30);
      expect(seen).toEqual([...created].sort());
    });

    it("matches Latin and Chinese names in mention autocomplete", async () => {
      const response = await get(server.url, `/api/members/search?q=${encodeURIComponent("王丽")}`, { cookie: viewerSession.cookie });
      expect(response.status).toBe(200);
      expect(JSON.parse(response.body).members.map((m: { label: string }) => m.label)).toEqual([names.shanxi]);
      const latin = await get(server.url, "/api/members/search?q=wang%20l", { cookie: viewerSession.cookie });
      expect(JSON.parse(latin.body).members.map((m: { label: string }) => m.label)).toEqual([names.shanxi]);
    });
  });

  describe("editing one's profile in settings", () => {
    let editor: TestMember;
    let session: SignedIn;
    let shanxiId: string;

    beforeAll(async () => {
      editor = await createMember(db, { displayName: `Editor ${tag}` });
      session = await signIn(server.url, editor.email, editor.password);
      shanxiId = (await db.region.findUniqueOrThrow({ where: { slug: "shanxi" } })).id;
    });

    const valid = () => ({
      intent: "profile",
      displayName: `Li Ming ${tag}`,
      nameLatin: "Li Ming",
      nameChinese: "李明",
      organisation: "Taiyuan University of Technology",
      title: "Professor of Energy Policy",
      regionId: shanxiId,
      languages: "zh",
      otherLanguages: "ja, DE",
      bio: "Works on coal-mine methane.\r\n\r\nLeads a workforce study.",
      locale: "en",
    });

    it("shows the profile form with the member's current values", async () => {
      const response = await get(server.url, "/settings", { cookie: session.cookie });
      expect(response.status).toBe(200);
      expect(response.body).toContain('data-testid="profile-form"');
      expect(response.body).toContain(`value="${editor.displayName}"`);
    });

    it("saves a valid profile and redirects back (post/redirect/get)", async () => {
      const body = new URLSearchParams(valid());
      body.append("languages", "en");
      const response = await fetch(new URL("/settings", server.url), {
        method: "POST",
        headers: { cookie: session.cookie, origin: new URL(server.url).origin, "content-type": "application/x-www-form-urlencoded" },
        body,
        redirect: "manual",
      });
      expect(response.status).toBe(302);
      expect(response.headers.get("location")).toBe("/settings?saved=profile#profile");
      const saved = await db.user.findUniqueOrThrow({ where: { id: editor.id } });
      expect(saved).toMatchObject({
        displayName: `Li Ming ${tag}`,
        nameLatin: "Li Ming",
        nameChinese: "李明",
        organisation: "Taiyuan University of Technology",
        title: "Professor of Energy Policy",
        regionId: shanxiId,
        bio: "Works on coal-mine methane.\n\nLeads a workforce study.",
        locale: "en",
      });
      expect(saved.languages).toEqual(["zh", "en", "ja", "de"]);

      const profile = pageText((await get(server.url, `/members/${editor.id}`, { cookie: viewerSession.cookie })).body);
      for (const text of ["李明", "Li Ming", "Professor of Energy Policy", "Taiyuan University of Technology", "Shanxi", "Chinese", "Japanese", "German", "Leads a workforce study."]) {
        expect(profile).toContain(text);
      }
      const directory = pageText((await get(server.url, "/members?region=shanxi", { cookie: viewerSession.cookie })).body);
      expect(directory).toContain(`Li Ming ${tag}`);
    });

    it("refuses bad input with 400, every field's message, and writes nothing", async () => {
      const before = await db.user.findUniqueOrThrow({ where: { id: editor.id } });
      const response = await postForm(
        server.url,
        "/settings",
        { ...valid(), displayName: "   ", nameChinese: "Li Ming", nameLatin: "李明", otherLanguages: "english", bio: "x".repeat(2001), title: "New title that must not be saved" },
        { cookie: session.cookie },
      );
      expect(response.status).toBe(400);
      const text = pageText(response.body);
      expect(text).toContain("This field is required.");
      expect(text).toContain("Use Chinese characters");
      expect(text).toContain("Use Latin letters only");
      expect(text).toContain("ISO 639-1");
      expect(text).toContain("The bio is longer than 2,000 characters.");
      // What was typed stays in the form.
      expect(response.body).toContain("New title that must not be saved");
      expect(await db.user.findUniqueOrThrow({ where: { id: editor.id } })).toEqual(before);
    });

    it("refuses an unknown region with 400 and writes nothing", async () => {
      const before = await db.user.findUniqueOrThrow({ where: { id: editor.id } });
      const response = await postForm(server.url, "/settings", { ...valid(), regionId: "no-such-region", title: "Changed" }, { cookie: session.cookie });
      expect(response.status).toBe(400);
      expect(await db.user.findUniqueOrThrow({ where: { id: editor.id } })).toEqual(before);
    });

    it("explains errors in Chinese to a member who reads Chinese", async () => {
      const zhMember = await createMember(db, { locale: "zh" });
      const zhSession = await signIn(server.url, zhMember.email, zhMember.password);
      const response = await postForm(server.url, "/settings", { ...valid(), bio: "长".repeat(2001) }, { cookie: zhSession.cookie });
      expect(response.status).toBe(400);
      expect(pageText(response.body)).toContain("个人简介超过 2,000 个字符");
      expect((await db.user.findUniqueOrThrow({ where: { id: zhMember.id } })).bio).toBe("");
    });

    it("works as the profile.update command over the JSON API, with the same rules", async () => {
      const api = (body: unknown) =>
        fetch(new URL("/api/commands/profile.update", server.url), {
          method: "POST",
          headers: { cookie: session.cookie, origin: new URL(server.url).origin, "content-type": "application/json" },
          body: JSON.stringify(body),
        });
      const good = await api({ title: "Dean", languages: ["en"] });
      expect(good.status).toBe(200);
      const user = await db.user.findUniqueOrThrow({ where: { id: editor.id } });
      expect(user.title).toBe("Dean");
      expect(user.languages).toEqual(["en"]);
      expect(user.nameChinese).toBe("李明");
      const bad = await api({ title: "Never", languages: ["english"] });
      expect(bad.status).toBe(400);
      expect(await bad.json()).toMatchObject({ ok: false, error: { code: "validation", field: "languages.0" } });
      expect((await db.user.findUniqueOrThrow({ where: { id: editor.id } })).title).toBe("Dean");
    });
  });

  describe("case studies on a profile", () => {
    let author: TestMember;
    let authorSession: SignedIn;
    const titles = {
      published: `Published study ${tag}`,
      publicPublished: `Public study ${tag}`,
      draft: `Draft study ${tag}`,
      deleted: `Deleted study ${tag}`,
      deletedDraft: `Deleted draft ${tag}`,
    };

    beforeAll(async () => {
      author = await createMember(db, { region: "shanxi" });
      authorSession = await signIn(server.url, author.email, author.password);
      await insertCaseStudy(db, { authorId: author.id, title: titles.published, status: "published" });
      await insertCaseStudy(db, { authorId: author.id, title: titles.publicPublished, status: "published", isPublic: true });
      await insertCaseStudy(db, { authorId: author.id, title: titles.draft, status: "draft" });
      await insertCaseStudy(db, { authorId: author.id, title: titles.deleted, status: "published", deleted: true });
      await insertCaseStudy(db, { authorId: author.id, title: titles.deletedDraft, status: "draft", deleted: true });
    });

    it("shows another member the published case studies only, linked to their pages", async () => {
      const response = await get(server.url, `/members/${author.id}`, { cookie: viewerSession.cookie });
      expect(response.status).toBe(200);
      const text = pageText(response.body);
      expect(text).toContain(titles.published);
      expect(text).toContain(titles.publicPublished);
      expect(text).not.toContain(titles.draft);
      expect(text).not.toContain(titles.deleted);
      expect(text).not.toContain(titles.deletedDraft);
      expect(response.body).toMatch(/href="\/case-studies\/[a-z0-9]+"/);
    });

    it("shows the author their own drafts too, but never deleted ones", async () => {
      const text = pageText((await get(server.url, `/members/${author.id}`, { cookie: authorSession.cookie })).body);
      expect(text).toContain(titles.published);
      expect(text).toContain(titles.draft);
      expect(text).toContain("Draft");
      expect(text).not.toContain(titles.deleted);
      expect(text).not.toContain(titles.deletedDraft);
    });

    it("keeps hidden and deleted replies off the profile", async () => {
      const thread = await db.thread.findFirstOrThrow({ where: { dialogueId: { not: null }, dialogue: { attributionLevel: "on_record" } } });
      const reply = (text: string, extra: { hiddenAt?: Date; deletedAt?: Date } = {}) =>
        db.$transaction(async (tx) => {
          const t = await tx.thread.update({ where: { id: thread.id }, data: { lastPostNumber: { increment: 1 } } });
          return tx.reply.create({
            data: { id: newId(), threadId: thread.id, authorId: author.id, postNumber: t.lastPostNumber, content: { type: "doc", content: [] }, text, ...extra },
          });
        });
      await reply(`visible reply ${tag}`);
      await reply(`hidden reply ${tag}`, { hiddenAt: new Date() });
      await reply(`deleted reply ${tag}`, { deletedAt: new Date() });
      const text = pageText((await get(server.url, `/members/${author.id}`, { cookie: viewerSession.cookie })).body);
      expect(text).toContain(`visible reply ${tag}`);
      expect(text).not.toContain(`hidden reply ${tag}`);
      expect(text).not.toContain(`deleted reply ${tag}`);
    });
  });

  describe("region pages", () => {
    const titles = {
      members: `Wyoming members-only study ${tag}`,
      public: `Wyoming public study ${tag}`,
      draft: `Wyoming draft ${tag}`,
      deleted: `Wyoming deleted study ${tag}`,
      elsewhere: `Inner Mongolia study ${tag}`,
    };
    let wyomingMember: Awaited<ReturnType<typeof insertMember>>;

    beforeAll(async () => {
      const author = await createMember(db, { region: "wyoming" });
      wyomingMember = await insertMember(db, { displayName: `Region Member ${tag}`, region: "wyoming", organisation: "Campbell County" });
      await insertCaseStudy(db, { authorId: author.id, title: titles.members, status: "published", regions: ["wyoming"] });
      await insertCaseStudy(db, { authorId: author.id, title: titles.public, status: "published", isPublic: true, regions: ["wyoming", "shanxi"] });
      await insertCaseStudy(db, { authorId: author.id, title: titles.draft, status: "draft", isPublic: true, regions: ["wyoming"] });
      await insertCaseStudy(db, { authorId: author.id, title: titles.deleted, status: "published", isPublic: true, deleted: true, regions: ["wyoming"] });
      await insertCaseStudy(db, { authorId: author.id, title: titles.elsewhere, status: "published", isPublic: true, regions: ["inner-mongolia"] });
    });

    it("shows a signed-out visitor the public case studies and the dialogues, but no members", async () => {
      const response = await get(server.url, "/regions/wyoming");
      expect(response.status).toBe(200);
      const text = pageText(response.body);
      expect(text).toContain(titles.public);
      expect(text).not.toContain(titles.members);
      expect(text).not.toContain(titles.draft);
      expect(text).not.toContain(titles.deleted);
      expect(text).not.toContain(titles.elsewhere);
      expect(text).toContain("1 more case study is for members only.");
      expect(response.body).toContain('data-testid="region-dialogues"');
      expect(text).toContain("Sign in to see the members from this region.");
      expect(text).not.toContain(wyomingMember.displayName);
      expect(text).not.toContain("Campbell County");
    });

    it("shows a member every published case study, the members and the dialogues", async () => {
      const response = await get(server.url, "/regions/wyoming", { cookie: viewerSession.cookie });
      expect(response.status).toBe(200);
      const text = pageText(response.body);
      expect(text).toContain(titles.public);
      expect(text).toContain(titles.members);
      expect(text).not.toContain(titles.draft);
      expect(text).not.toContain(titles.deleted);
      expect(text).not.toContain(titles.elsewhere);
      expect(text).not.toContain("for members only");
      expect(text).toContain(wyomingMember.displayName);
      expect(text).toContain("Campbell County");
      expect(response.body).toContain(`href="/members/${wyomingMember.id}"`);
      const dialogues = await db.dialogueRegion.count({ where: { region: { slug: "wyoming" } } });
      expect(dialogues).toBeGreaterThan(0);
      const listed = /data-testid="region-dialogues">([\s\S]*?)<\/ul>/.exec(response.body)?.[1] ?? "";
      expect((listed.match(/<li/g) ?? []).length).toBe(dialogues);
    });

    it("lists a case study in each of its regions", async () => {
      const text = pageText((await get(server.url, "/regions/shanxi")).body);
      expect(text).toContain(titles.public);
      expect(text).not.toContain(titles.members);
    });
  });
});
