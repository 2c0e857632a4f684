/**
 * The authorisation matrix of every route (app/routes): what a signed-out visitor, a member who
 * owns nothing there, the owner (of the reply, case study or note), a moderator and an admin get
 * for a GET, and that a signed-out POST changes nothing. A route file without a row here fails
 * the test, so a new page cannot arrive unchecked. Commands have their own matrix
 * (tests/helpers/authorisation-matrix.ts); socket rooms are at the end of this file.
 */
import { readdirSync } from "node:fs";
import path from "node:path";
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { createStudy } from "../helpers/case-studies";
import { apiCommand } from "../helpers/commands";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { repoRoot } from "../helpers/env";
import { createMember, insertReplies, insertThread, openPrisma, type TestMember } from "../helpers/factories";
import { fingerprint } from "../helpers/fingerprint";
import { get, postForm } from "../helpers/http";
import { startServer, type RunningServer } from "../helpers/server";
import { connectSocket } from "../helpers/sockets";

type Viewer = "visitor" | "stranger" | "owner" | "moderator" | "admin";
const VIEWERS: Viewer[] = ["visitor", "stranger", "owner", "moderator", "admin"];

/** Status per viewer; "signin" is a 302 to /signin?redirectTo=… */
type Expect = number | "signin";

interface Fixtures {
  threadId: string;
  replyId: string;
  caseStudyId: string;
  publicCaseStudyId: string;
  noteId: string;
  versionId: string;
  ownerId: string;
  dialogueSlug: string;
  emailId: string;
  outcomeId: string;
  surveyId: string;
  surveyToken: string;
}

interface RouteRow {
  /** The route module's file name in app/routes, without its extension. */
  file: string;
  url(f: Fixtures): string;
  get: Record<Viewer, Expect>;
}

const everyone = (status: number): Record<Viewer, Expect> => ({ visitor: status, stranger: status, owner: status, moderator: status, admin: status });
const members = (status = 200): Record<Viewer, Expect> => ({ visitor: "signin", stranger: status, owner: status, moderator: status, admin: status });
const staff: Record<Viewer, Expect> = { visitor: "signin", stranger: 403, owner: 403, moderator: 200, admin: 200 };
const admins: Record<Viewer, Expect> = { visitor: "signin", stranger: 404, owner: 404, moderator: 404, admin: 200 };
/** A private object: only its owner (notes are not even shown to admins). */
const ownerOnly: Record<Viewer, Expect> = { visitor: "signin", stranger: 404, owner: 200, moderator: 404, admin: 404 };

const ROUTES: RouteRow[] = [
  { file: "_index", url: () => "/", get: everyone(200) },
  { file: "$", url: () => "/no/such/page", get: everyone(404) },
  { file: "account-deleted", url: () => "/account-deleted", get: everyone(200) },
  { file: "regions._index", url: () => "/regions", get: everyone(200) },
  { file: "regions.$slug", url: () => "/regions/shanxi", get: everyone(200) },
  { file: "series.$slug", url: () => "/series/track-2-dialogues-2021-2022", get: everyone(200) },
  { file: "dialogues.$slug", url: (f) => `/dialogues/${f.dialogueSlug}`, get: everyone(200) },
  { file: "case-studies._index", url: () => "/case-studies", get: everyone(200) },
  { file: "case-studies.$id", url: (f) => `/case-studies/${f.publicCaseStudyId}`, get: everyone(200) },
  { file: "search", url: () => "/search?q=coal", get: everyone(200) },
  { file: "signin", url: () => "/signin", get: { visitor: 200, stranger: 302, owner: 302, moderator: 302, admin: 302 } },
  { file: "signup", url: () => "/signup", get: everyone(200) },
  // No state changes through GET: both answer a GET by sending the reader home.
  { file: "signout", url: () => "/signout", get: everyone(302) },
  { file: "locale", url: () => "/locale", get: everyone(302) },
  { file: "uploads", url: () => "/uploads", get: everyone(405) },
  { file: "api.commands.$name", url: () => "/api/commands/thread.watch", get: everyone(405) },
  { file: "api.members.search", url: () => "/api/members/search?q=a", get: { visitor: 401, stranger: 200, owner: 200, moderator: 200, admin: 200 } },

  { file: "outcomes._index", url: () => "/outcomes", get: everyone(200) },
  { file: "outcomes.$id", url: (f) => `/outcomes/${f.outcomeId}`, get: everyone(200) },
  { file: "outcomes.new", url: () => "/outcomes/new", get: members() },
  { file: "surveys._index", url: () => "/surveys", get: members() },
  { file: "surveys.new", url: () => "/surveys/new", get: staff },
  { file: "surveys.$id", url: (f) => `/surveys/${f.surveyId}`, get: members() },
  { file: "surveys.$id_.edit", url: (f) => `/surveys/${f.surveyId}/edit`, get: staff },
  // Results not shared with respondents: staff only; others cannot tell they exist.
  { file: "surveys.$id_.results", url: (f) => `/surveys/${f.surveyId}/results`, get: { visitor: "signin", stranger: 404, owner: 404, moderator: 200, admin: 200 } },
  { file: "surveys.$id_.results[.]csv", url: (f) => `/surveys/${f.surveyId}/results.csv`, get: staff },
  { file: "surveys.$id_.results[.]json", url: (f) => `/surveys/${f.surveyId}/results.json`, get: staff },
  { file: "s.$token", url: (f) => `/s/${f.surveyToken}`, get: everyone(200) },
  { file: "network", url: () => "/network", get: members() },
  { file: "latest", url: () => "/latest", get: members() },
  { file: "translations", url: () => "/translations", get: members() },
  { file: "members._index", url: () => "/members", get: members() },
  { file: "members.$id", url: (f) => `/members/${f.ownerId}`, get: members() },
  { file: "notifications", url: () => "/notifications", get: members() },
  { file: "settings", url: () => "/settings", get: members() },
  { file: "settings.data[.]json", url: () => "/settings/data.json", get: members() },
  { file: "threads.new", url: () => "/threads/new", get: members() },
  { file: "threads.$id", url: (f) => `/threads/${f.threadId}`, get: members() },
  { file: "replies.$id.history", url: (f) => `/replies/${f.replyId}/history`, get: members() },
  { file: "replies.$id.edit", url: (f) => `/replies/${f.replyId}/edit`, get: { visitor: "signin", stranger: 403, owner: 200, moderator: 200, admin: 200 } },
  { file: "case-studies.new", url: () => "/case-studies/new", get: members() },
  { file: "case-studies.$id_.edit", url: (f) => `/case-studies/${f.caseStudyId}/edit`, get: { visitor: "signin", stranger: 403, owner: 200, moderator: 403, admin: 200 } },
  // Any member may add the missing language of a published case study.
  { file: "case-studies.$id_.versions.$lang", url: (f) => `/case-studies/${f.caseStudyId}/versions/zh`, get: members() },
  { file: "notes._index", url: () => "/notes", get: members() },
  { file: "notes.new", url: () => "/notes/new", get: members() },
  { file: "notes.$id", url: (f) => `/notes/${f.noteId}`, get: ownerOnly },
  { file: "notes.$id_.history", url: (f) => `/notes/${f.noteId}/history`, get: ownerOnly },
  { file: "notes.$id_.history_.$versionId", url: (f) => `/notes/${f.noteId}/history/${f.versionId}`, get: ownerOnly },
  // JSON for the page's script: 401 rather than a redirect when signed out.
  { file: "notes.$id_.comments", url: (f) => `/notes/${f.noteId}/comments`, get: { ...ownerOnly, visitor: 401 } },
  { file: "notes.$id_.export[.]md", url: (f) => `/notes/${f.noteId}/export.md`, get: ownerOnly },
  { file: "notes.$id_.export[.]html", url: (f) => `/notes/${f.noteId}/export.html`, get: ownerOnly },

  { file: "moderation.review", url: () => "/moderation/review", get: staff },
  { file: "moderation.requests", url: () => "/moderation/requests", get: staff },
  { file: "moderation.requests[.]csv", url: (f) => `/moderation/requests.csv?dialogue=${f.dialogueSlug}`, get: staff },
  { file: "moderation.log", url: () => "/moderation/log", get: staff },

  { file: "admin._index", url: () => "/admin", get: admins },
  { file: "admin.members._index", url: () => "/admin/members", get: admins },
  { file: "admin.members.$id", url: (f) => `/admin/members/${f.ownerId}`, get: admins },
  { file: "admin.members.$id_.export[.]json", url: (f) => `/admin/members/${f.ownerId}/export.json`, get: { ...admins, admin: 405 } },
  { file: "admin.invitations", url: () => "/admin/invitations", get: admins },
  { file: "admin.topics", url: () => "/admin/topics", get: admins },
  { file: "admin.dialogues.$slug", url: (f) => `/admin/dialogues/${f.dialogueSlug}`, get: admins },
  { file: "admin.email._index", url: () => "/admin/email", get: admins },
  { file: "admin.email.$id", url: (f) => `/admin/email/${f.emailId}`, get: admins },

  // Email links: answered for anyone holding them (the token is the credential).
  // Signed in, there is nothing to recover: sent on to the settings.
  { file: "forgot-password", url: () => "/forgot-password", get: { visitor: 200, stranger: 302, owner: 302, moderator: 302, admin: 302 } },
  { file: "reset-password", url: () => "/reset-password?token=not-a-real-token", get: everyone(200) },
  { file: "email.confirm", url: () => "/email/confirm?token=not-a-real-token", get: everyone(200) },
  // A page that says the link is not valid (and links the preferences).
  { file: "email.unsubscribe.$token", url: () => "/email/unsubscribe/not-a-real-token", get: everyone(200) },

  // Calendars: a dialogue's file is public like the programme; a feed needs its secret.
  { file: "dialogues.$slug_.calendar[.]ics", url: (f) => `/dialogues/${f.dialogueSlug}/calendar.ics`, get: everyone(200) },
  { file: "calendar.$file", url: () => "/calendar/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.ics", get: everyone(404) },
];

describe("every route", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let f: Fixtures;
  const sessions: Partial<Record<Viewer, SignedIn>> = {};
  let owner: TestMember;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    const [o, s, m, a] = await Promise.all([createMember(db), createMember(db), createMember(db, { role: "moderator" }), createMember(db, { role: "admin" })]);
    owner = o;
    [sessions.owner, sessions.stranger, sessions.moderator, sessions.admin] = await Promise.all([o, s, m, a].map((x) => signIn(server.url, x.email, x.password)));
    const dialogue = await db.dialogue.findFirstOrThrow({ select: { id: true, slug: true } });
    await db.dialogue.update({ where: { id: dialogue.id }, data: { startsAt: new Date("2027-01-20T14:00:00Z"), status: "scheduled" } });
    const outcome = await db.outcome.create({ data: { id: `outcome${Date.now().toString(36)}`, type: "policy_idea", titleEn: "A public outcome", titleZh: "公开成果", isPublic: true, reviewedAt: new Date() } });
    const surveyQuestion = { create: [{ id: `sq${Date.now().toString(36)}`, position: 1, type: "short_text" as const, promptEn: "Why?", promptZh: "为什么?" }] };
    const survey = await db.survey.create({ data: { id: `survey${Date.now().toString(36)}`, titleEn: "A survey", titleZh: "问卷", audience: "all_members", openedAt: new Date(), opensAt: new Date(), announcedAt: new Date(), questions: surveyQuestion } });
    const surveyToken = `token${Date.now().toString(36)}abcdef`;
    await db.survey.create({ data: { id: `psurvey${Date.now().toString(36)}`, titleEn: "A public survey", titleZh: "公开问卷", audience: "public_link", publicToken: surveyToken, openedAt: new Date(), opensAt: new Date(), announcedAt: new Date() } });
    const email = await db.emailMessage.create({ data: { id: `mail${Date.now().toString(36)}`, kind: "test", toAddress: "someone@example.org", status: "held" } });
    const thread = await insertThread(db, { authorId: o.id, dialogueId: dialogue.id });
    const [reply] = await insertReplies(db, thread.id, [{ authorId: o.id, text: "The owner's reply" }]);
    const caseStudyId = await createStudy(server.url, db, sessions.owner.cookie, { title: "Members-only study" });
    const publicCaseStudyId = await createStudy(server.url, db, sessions.owner.cookie, { title: "Public study", isPublic: true });
    const note = await apiCommand(server.url, "note.create", { title: "The owner's note" }, { cookie: sessions.owner.cookie });
    const noteId = (note.result as { noteId: string }).noteId;
    const version = await db.noteVersion.findFirstOrThrow({ where: { noteId } });
    f = { threadId: thread.id, replyId: reply.id, caseStudyId, publicCaseStudyId, noteId, versionId: version.id, ownerId: o.id, dialogueSlug: dialogue.slug, emailId: email.id, outcomeId: outcome.id, surveyId: survey.id, surveyToken };
  });

  afterAll(async () => {
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it("has a row for every route module", () => {
    const files = readdirSync(path.join(repoRoot, "app/routes"))
      .filter((name) => /\.tsx?$/.test(name) && !name.includes(".test."))
      .map((name) => name.replace(/\.tsx?$/, ""));
    const covered = new Set(ROUTES.map((row) => row.file));
    expect(files.filter((file) => !covered.has(file)), "route files without a row in this matrix").toEqual([]);
    expect([...covered].filter((file) => !files.includes(file)), "rows for routes that no longer exist").toEqual([]);
  });

  for (const row of ROUTES) {
    describe(`GET ${row.file}`, () => {
      for (const viewer of VIEWERS) {
        const expected = row.get[viewer];
        it(`answers ${viewer === "visitor" ? "a signed-out visitor" : `the ${viewer}`} with ${expected === "signin" ? "a redirect to sign in" : expected}`, async () => {
          const url = row.url(f);
          const response = await get(server.url, url, { cookie: sessions[viewer]?.cookie });
          if (expected === "signin") {
            expect(response.status, `${url} for ${viewer}`).toBe(302);
            expect(response.location).toMatch(/^\/signin\?redirectTo=/);
          } else {
            expect(response.status, `${url} for ${viewer}`).toBe(expected);
          }
        });
      }
    });
  }

  it("refuses a signed-out POST to every members-only route and stores nothing", async () => {
    const before = await fingerprint(db);
    for (const row of ROUTES) {
      if (row.get.visitor !== "signin" && ![401, 404].includes(row.get.visitor as number)) continue;
      const url = row.url(f);
      const response = await postForm(server.url, url, { intent: "thread.lock", title: "x", body: "x", reason: "x" });
      expect([302, 401, 403, 404, 405], `POST ${url} signed out answered ${response.status}`).toContain(response.status);
      if (response.status === 302) expect(response.location).toMatch(/^\/signin\?redirectTo=/);
    }
    expect(await fingerprint(db)).toEqual(before);
  });

  describe("socket rooms", () => {
    it("refuse a signed-out handshake", async () => {
      await expect(connectSocket(server.url, {})).rejects.toThrow();
    });

    it("let a member join a thread and a category, and only the note's members join the note", async () => {
      const join = async (viewer: Viewer, event: string, payload: unknown) => {
        const socket = await connectSocket(server.url, { cookie: sessions[viewer]!.cookie });
        try {
          const ack = (await (socket as unknown as { timeout(ms: number): { emitWithAck(e: string, p: unknown): Promise<{ ok: boolean; error?: string }> } })
            .timeout(10_000)
            .emitWithAck(event, payload)) as { ok: boolean; error?: string };
          return ack.ok ? "ok" : ack.error;
        } finally {
          socket.close();
        }
      };
      const dialogue = await db.dialogue.findFirstOrThrow({ where: { slug: f.dialogueSlug } });
      for (const viewer of ["stranger", "owner", "moderator", "admin"] as const) {
        expect(await join(viewer, "thread:join", { threadId: f.threadId }), `thread:join by ${viewer}`).toBe("ok");
        expect(await join(viewer, "category:join", { categoryKey: `dialogue:${dialogue.id}` }), `category:join by ${viewer}`).toBe("ok");
      }
      expect(await join("owner", "doc:join", { noteId: f.noteId })).toBe("ok");
      for (const viewer of ["stranger", "moderator", "admin"] as const) {
        expect(await join(viewer, "doc:join", { noteId: f.noteId }), `doc:join by ${viewer}`).not.toBe("ok");
      }
      await db.thread.update({ where: { id: f.threadId }, data: { deletedAt: new Date() } });
      expect(await join("stranger", "thread:join", { threadId: f.threadId })).not.toBe("ok");
      expect(await join("owner", "thread:join", { threadId: f.threadId })).not.toBe("ok");
      await db.thread.update({ where: { id: f.threadId }, data: { deletedAt: null } });
    });
  });
});
