/**
 * Search through the real server: the /search page (plain GET, as a browser without JavaScript
 * asks for it) finds case studies, threads and replies in English and Chinese, ranks title
 * matches first, honours filters and visibility, and follows every write made through the
 * command API (`POST /api/commands/<name>`).
 *
 * Case studies are inserted directly with Prisma and indexed with `indexCaseStudy`, as their
 * model will do inside its transactions; threads and replies go through the server.
 */
import type { Locale, PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { indexCaseStudy } from "~/models/search.server";
import { newId } from "~/utils/ids.server";
import { signIn, type SignedIn } from "../helpers/auth";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createMember, openPrisma, threadOf, type TestMember } from "../helpers/factories";
import { get, pageText, postForm } from "../helpers/http";
import { startServer, type RunningServer } from "../helpers/server";

interface Hit {
  kind: string;
  refId: string;
}

describe("search", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let author: TestMember;
  let reader: TestMember;
  let writer: TestMember;
  let authorSession: SignedIn;
  let readerSession: SignedIn;
  let writerSession: SignedIn;
  let moderatorSession: SignedIn;
  let threadId: string;

  /** The hits of a /search page, in order, read from the rendered HTML. */
  async function searchAs(session: SignedIn | null, params: Record<string, string>): Promise<{ hits: Hit[]; html: string }> {
    const response = await get(server.url, `/search?${new URLSearchParams(params)}`, session ? { cookie: session.cookie } : {});
    expect(response.status, pageText(response.body).slice(0, 300)).toBe(200);
    const hits = [...response.body.matchAll(/data-kind="([a-z_]+)" data-ref-id="([^"]+)"/g)].map((m) => ({ kind: m[1], refId: m[2] }));
    return { hits, html: response.body };
  }

  const refIds = async (session: SignedIn | null, params: Record<string, string>) => (await searchAs(session, params)).hits.map((h) => h.refId);

  /** Runs a command through the HTTP API as a member; returns its result. */
  async function command<T = Record<string, unknown>>(session: SignedIn, name: string, input: Record<string, string>): Promise<T> {
    const response = await postForm(server.url, `/api/commands/${name}`, input, { cookie: session.cookie });
    expect(response.status, `${name}: ${response.body.slice(0, 300)}`).toBe(200);
    return (JSON.parse(response.body) as { result: T }).result;
  }

  /** A case study with the given versions, written as its model will write it, then indexed. */
  async function caseStudy(options: {
    authorId: string;
    status?: "draft" | "published";
    isPublic?: boolean;
    regions?: string[];
    createdAt?: Date;
    versions: { language: Locale; title: string; summary?: string; text?: string }[];
  }): Promise<{ id: string; versionIds: string[] }> {
    const id = newId();
    const regions = await db.region.findMany({ where: { slug: { in: options.regions ?? [] } } });
    const status = options.status ?? "published";
    const createdAt = options.createdAt ?? new Date();
    await db.caseStudy.create({
      data: {
        id,
        authorId: options.authorId,
        status,
        isPublic: options.isPublic ?? false,
        createdAt,
        publishedAt: status === "published" ? createdAt : null,
        regions: { create: regions.map((r) => ({ regionId: r.id })) },
        versions: {
          create: options.versions.map((v) => ({
            id: newId(),
            language: v.language,
            title: v.title,
            summary: v.summary ?? "",
            content: { type: "doc", content: [] },
            text: v.text ?? "",
            authorId: options.authorId,
          })),
        },
      },
    });
    await indexCaseStudy(db, id);
    const versions = await db.caseStudyVersion.findMany({ where: { caseStudyId: id }, orderBy: { language: "asc" } });
    return { id, versionIds: versions.map((v) => v.id) };
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    author = await createMember(db, { region: "shanxi", displayName: "Author 作者" });
    reader = await createMember(db, { region: "west-virginia" });
    writer = await createMember(db, { region: "wyoming" });
    const moderator = await createMember(db, { role: "moderator" });
    [authorSession, readerSession, writerSession, moderatorSession] = await Promise.all([
      signIn(server.url, author.email, author.password),
      signIn(server.url, reader.email, reader.password),
      signIn(server.url, writer.email, writer.password),
      signIn(server.url, moderator.email, moderator.password),
    ]);
    threadId = (await threadOf(db, "2024-09-23-economic-diversification")).id;
  });

  afterAll(async () => {
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it("finds a Chinese case study by 能源 and by 转型, two characters each", async () => {
    const study = await caseStudy({
      authorId: author.id,
      regions: ["shanxi"],
      versions: [{ language: "zh", title: "资源型城市的能源转型之路", summary: "以煤为主的地区如何走向多元经济。", text: "山西的实践表明，转型需要培训与投资。" }],
    });
    for (const q of ["能源", "转型"]) {
      const { hits, html } = await searchAs(readerSession, { q });
      expect(hits, q).toContainEqual({ kind: "case_study", refId: study.versionIds[0] });
      expect(html).toContain(`<mark>${q}</mark>`);
      expect(html).toContain(`href="/case-studies/${study.id}?lang=zh"`);
    }
  });

  it("finds a title that mixes English and Chinese by either part", async () => {
    const study = await caseStudy({ authorId: author.id, versions: [{ language: "en", title: "Jincheng煤层气 methane capture pilot" }] });
    for (const q of ["Jincheng", "煤层气", "methane", "jinch"]) {
      expect(await refIds(readerSession, { q }), q).toContain(study.versionIds[0]);
    }
  });

  it("ranks a title match above a newer body match", async () => {
    const inTitle = await caseStudy({
      authorId: author.id,
      createdAt: new Date(Date.now() - 86_400_000),
      versions: [{ language: "en", title: "Geothermal heat from flooded mines", text: "A district heating scheme." }],
    });
    const inBody = await caseStudy({
      authorId: author.id,
      versions: [{ language: "en", title: "Heat networks in mining towns", text: "geothermal geothermal geothermal: the geothermal option, geothermal wells." }],
    });
    const ids = await refIds(readerSession, { q: "geothermal" });
    expect(ids.indexOf(inTitle.versionIds[0])).toBeGreaterThanOrEqual(0);
    expect(ids.indexOf(inTitle.versionIds[0])).toBeLessThan(ids.indexOf(inBody.versionIds[0]));
  });

  it("shows signed-out visitors public published case studies only", async () => {
    const open = await caseStudy({ authorId: author.id, isPublic: true, versions: [{ language: "en", title: "Tourism on reclaimed land: Ordos" }] });
    const membersOnly = await caseStudy({ authorId: author.id, versions: [{ language: "en", title: "Tourism for members of Ordos" }] });
    const draft = await caseStudy({ authorId: author.id, status: "draft", isPublic: true, versions: [{ language: "en", title: "Tourism draft Ordos" }] });
    const reply = await command<{ id: string }>(writerSession, "reply.create", { threadId, body: "Ordos tourism came up in the dialogue too." });

    const { hits, html } = await searchAs(null, { q: "ordos tourism" });
    expect(hits).toEqual([{ kind: "case_study", refId: open.versionIds[0] }]);
    expect(html).toContain('data-testid="search-signed-out"');
    // even when asked for replies only
    expect((await searchAs(null, { q: "ordos", type: "reply" })).hits).toEqual([]);

    const asMember = await refIds(readerSession, { q: "ordos tourism" });
    expect(asMember).toEqual(expect.arrayContaining([open.versionIds[0], membersOnly.versionIds[0], reply.id]));
    expect(asMember).not.toContain(draft.versionIds[0]);
  });

  it("shows a draft to its author only", async () => {
    const draft = await caseStudy({ authorId: author.id, status: "draft", versions: [{ language: "zh", title: "煤矸石综合利用草稿" }] });
    expect(await refIds(authorSession, { q: "煤矸石" })).toEqual([draft.versionIds[0]]);
    expect(await refIds(readerSession, { q: "煤矸石" })).toEqual([]);
    expect(await refIds(moderatorSession, { q: "煤矸石" })).toEqual([]);
  });

  it("follows a reply's create, edit, hide, unhide and delete made through the command API", async () => {
    const reply = await command<{ id: string; postNumber: number }>(writerSession, "reply.create", { threadId, body: "Xylophone workshops and 风电场 jobs for miners." });
    const created = await searchAs(readerSession, { q: "xylophone" });
    expect(created.hits).toEqual([{ kind: "reply", refId: reply.id }]);
    expect(created.html).toContain(`href="/threads/${threadId}?after=${reply.postNumber - 1}#post-${reply.postNumber}"`);
    expect(await refIds(readerSession, { q: "风电" })).toContain(reply.id);

    await command(writerSession, "reply.edit", { replyId: reply.id, body: "Marimba lessons and 光伏 jobs for miners." });
    expect(await refIds(readerSession, { q: "xylophone" })).toEqual([]);
    expect(await refIds(readerSession, { q: "风电" })).not.toContain(reply.id);
    expect(await refIds(readerSession, { q: "marimba" })).toEqual([reply.id]);
    expect(await refIds(readerSession, { q: "光伏" })).toContain(reply.id);

    await command(moderatorSession, "reply.hide", { replyId: reply.id, reason: "Off topic" });
    for (const session of [readerSession, writerSession, moderatorSession]) {
      expect(await refIds(session, { q: "marimba" })).toEqual([]);
    }

    await command(moderatorSession, "reply.unhide", { replyId: reply.id });
    expect(await refIds(readerSession, { q: "marimba" })).toEqual([reply.id]);

    await command(writerSession, "reply.delete", { replyId: reply.id });
    expect(await refIds(readerSession, { q: "marimba" })).toEqual([]);
    expect(await refIds(writerSession, { q: "marimba" })).toEqual([]);
  });

  it("finds a new thread by its title and forgets it and its replies when the thread is deleted", async () => {
    const created = await command<{ threadId: string; replyId: string }>(authorSession, "thread.create", {
      title: "Quokka cooperatives 合作社 in coal towns",
      body: "Wombat-style worker ownership for closed mines.",
    });
    const answer = await command<{ id: string }>(readerSession, "reply.create", { threadId: created.threadId, body: "Wombat cooperatives worked in Appalachia." });
    expect(await searchAs(readerSession, { q: "quokka" })).toMatchObject({ hits: [{ kind: "thread", refId: created.threadId }] });
    expect(await refIds(readerSession, { q: "合作社" })).toContain(created.threadId);
    expect(await refIds(readerSession, { q: "wombat" })).toEqual(expect.arrayContaining([created.replyId, answer.id]));

    await command(moderatorSession, "thread.delete", { threadId: created.threadId, reason: "Test" });
    for (const q of ["quokka", "合作社", "wombat"]) expect(await refIds(readerSession, { q }), q).toEqual([]);
  });

  it("combines type, region, country and language filters", async () => {
    const shanxiZh = await caseStudy({ authorId: author.id, regions: ["shanxi"], versions: [{ language: "zh", title: "Flywheel 储能 in 山西" }] });
    const wyomingZh = await caseStudy({ authorId: author.id, regions: ["wyoming"], versions: [{ language: "zh", title: "Flywheel 储能 in 怀俄明" }] });
    const shanxiEn = await caseStudy({ authorId: author.id, regions: ["shanxi"], versions: [{ language: "en", title: "Flywheel storage in Shanxi" }] });
    // The author lives in Shanxi, so their reply carries Shanxi as its region.
    const reply = await command<{ id: string }>(authorSession, "reply.create", { threadId, body: "Flywheel storage came up in Shanxi." });

    const q = "flywheel";
    expect(new Set(await refIds(readerSession, { q }))).toEqual(new Set([shanxiZh.versionIds[0], wyomingZh.versionIds[0], shanxiEn.versionIds[0], reply.id]));
    expect(await refIds(readerSession, { q, type: "case_study", region: "shanxi", language: "zh" })).toEqual([shanxiZh.versionIds[0]]);
    expect(new Set(await refIds(readerSession, { q, type: "case_study", region: "shanxi" }))).toEqual(new Set([shanxiZh.versionIds[0], shanxiEn.versionIds[0]]));
    expect(new Set(await refIds(readerSession, { q, region: "shanxi", language: "en" }))).toEqual(new Set([shanxiEn.versionIds[0], reply.id]));
    expect(await refIds(readerSession, { q, country: "US", language: "zh" })).toEqual([wyomingZh.versionIds[0]]);
    expect(await refIds(readerSession, { q, type: "reply" })).toEqual([reply.id]);
    expect(await refIds(readerSession, { q, type: "thread" })).toEqual([]);
    // A region that does not exist matches nothing (rather than being ignored).
    expect(await refIds(readerSession, { q, region: "no-such-region" })).toEqual([]);
  });

  it("pages through many results", async () => {
    for (let i = 0; i < 23; i++) {
      await caseStudy({ authorId: author.id, createdAt: new Date(Date.now() - i * 60_000), versions: [{ language: "en", title: `Pumped hydro site ${i}` }] });
    }
    const first = await searchAs(readerSession, { q: "pumped hydro" });
    expect(first.hits).toHaveLength(20);
    expect(first.html).toContain('data-testid="search-more"');
    const second = await searchAs(readerSession, { q: "pumped hydro", page: "2" });
    expect(second.hits).toHaveLength(3);
    expect(second.html).not.toContain('data-testid="search-more"');
    expect(new Set([...first.hits, ...second.hits].map((h) => h.refId)).size).toBe(23);
    const beyond = await searchAs(readerSession, { q: "pumped hydro", page: "7" });
    expect(beyond.hits).toEqual([]);
    expect(beyond.html).toContain('data-testid="search-empty"');
  });

  it("finds a lone Chinese character, and a fragment inside an English word", async () => {
    const study = await caseStudy({ authorId: author.id, versions: [{ language: "zh", title: "鄂尔多斯的氢能示范", summary: "Electrolysers and hydrogenation." }] });
    expect(await refIds(readerSession, { q: "氢" })).toContain(study.versionIds[0]);
    // no word starts with "ogenat": the trigram substring fallback finds it
    const { hits, html } = await searchAs(readerSession, { q: "ogenat" });
    expect(hits.map((h) => h.refId)).toContain(study.versionIds[0]);
    expect(html).toContain("hydr<mark>ogenat</mark>ion");
  });

  it("answers odd queries with a page, never an error", async () => {
    for (const q of ["!!! ... ——。", "a & b | !c:* <-> 'x'", "x".repeat(5_000), "%_\\", "' OR 1=1 --", "能"]) {
      const { html } = await searchAs(readerSession, { q, type: "bogus", country: "FR", page: "-3" });
      expect(html).toContain('data-testid="search-form"');
    }
    const { html } = await searchAs(null, { q: "<script>alert(1)</script>" });
    expect(html).not.toContain("<script>alert(1)</script>");
  });

  it("puts a search box in the header of every page", async () => {
    for (const path of ["/", "/regions"]) {
      const response = await get(server.url, path);
      expect(response.body).toMatch(/<form[^>]*action="\/search"[^>]*data-testid="header-search"|<form[^>]*data-testid="header-search"[^>]*action="\/search"/);
    }
  });
});
