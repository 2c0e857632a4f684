/**
 * Every door, every bad input: well over 1,000 malformed inputs (a seeded, repeatable stream)
 * across every named command over HTTP and over the socket, the page forms, the other socket
 * events, and Yjs update bytes: wrong types, huge and empty strings, control characters, invalid
 * UTF-8, deep nesting, random bytes. Every HTTP answer is below 500, the process lives and logs
 * no error, and not one row in the database changed.
 *
 * New commands are covered as they are added (the list comes from `commandNames`).
 */
import type { PrismaClient } from "@prisma/client";
import pg from "pg";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { commandNames } from "~/realtime/commands";
import { signIn, type SignedIn } from "../helpers/auth";
import { createStudy } from "../helpers/case-studies";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createMember, insertReplies, insertThread, openPrisma } from "../helpers/factories";
import { rowsOf } from "../helpers/fingerprint";
import { startServer, type RunningServer } from "../helpers/server";
import { connectSocket, type ClientSocket } from "../helpers/sockets";

/** mulberry32: a small seeded generator, so every run sends the same inputs. */
function random(seed: number) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
const rand = random(20261206);
const pick = <T>(items: readonly T[]): T => items[Math.floor(rand() * items.length)]!;
const bytes = (n: number) => Uint8Array.from({ length: n }, () => Math.floor(rand() * 256));

function deep(levels: number): unknown {
  let value: unknown = "x";
  for (let i = 0; i < levels; i++) value = { a: value };
  return value;
}

/**
 * Values no field of any command accepts: every command input below sets each of its fields to
 * one of these, so none can be a valid write (ids included: none is a real object's id).
 */
const BAD_VALUES: { name: string; make(): unknown }[] = [
  { name: "number", make: () => 12345.678 },
  { name: "negative", make: () => -1 },
  { name: "huge number", make: () => 1e308 },
  { name: "null", make: () => null },
  { name: "array", make: () => [1, "two", { three: 3 }] },
  { name: "object", make: () => ({ $gt: "", __proto__: { polluted: true } }) },
  { name: "nested 200", make: () => deep(200) },
  { name: "control characters", make: () => "\u0000\u0007\u001b[31m\u202e\u0085text" },
  { name: "huge string", make: () => "煤".repeat(20_000) },
  { name: "lone surrogates", make: () => "\ud800\udc00\udfff\ud83d" },
];

/** The field names of every command, so each gets a malformed value. */
const FIELDS = [
  "threadId", "replyId", "replyToId", "noteId", "userId", "caseStudyId", "commentId", "topicId", "versionId", "notificationId",
  "dialogueId", "categoryKey", "title", "body", "content", "reason", "note", "level", "postNumber", "until", "seconds", "decision",
  "language", "summary", "translation", "regionIds", "topicIds", "isPublic", "published", "slug", "nameEn", "nameZh", "direction",
  "member", "role", "name", "anchor", "quote", "displayName", "bio", "locale", "languages", "regionId", "baseRevision", "baseVersion",
  "threadCommentId", "resolved", "password", "currentPassword", "newPassword", "email", "invitationId", "idempotencyKey", "timeZone", "otherNoteId",
  "emails", "message", "expiresInDays", "newEmail", "emailId", "to", "requestId", "mentions", "replies", "watching", "notes",
  "caseStudies", "reminders", "digest", "resumeBouncing", "token", "outcomeId", "evidenceId", "decision", "day", "kind", "refId",
  "titleEn", "titleZh", "summaryEn", "summaryZh", "origin", "url", "label",
  "surveyId", "questionId", "answers", "submit", "browserKey", "audience", "introEn", "introZh", "singleLanguage", "opensAt", "closesAt",
  "anonymous", "sharesResults", "promptEn", "promptZh", "options", "minValue", "maxValue", "required", "direction", "dialogueId",
];

function malformedInput(): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const field of FIELDS) input[field] = pick(BAD_VALUES).make();
  return input;
}

/** A raw body for `POST /api/commands/<name>` that is not a valid JSON object of the right shape. */
const RAW_BODIES: { name: string; contentType: string; make(): Uint8Array | string }[] = [
  { name: "random bytes", contentType: "application/json", make: () => bytes(200) },
  { name: "invalid UTF-8", contentType: "application/json", make: () => Uint8Array.from([0x7b, 0x22, 0x74, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0xc3, 0x28, 0x22, 0x7d]) },
  { name: "truncated JSON", contentType: "application/json", make: () => '{"threadId": "abc", "body": "unterminated' },
  { name: "deep JSON", contentType: "application/json", make: () => `${"[".repeat(100_000)}${"]".repeat(100_000)}` },
  { name: "empty", contentType: "application/json", make: () => "" },
  { name: "3 MB", contentType: "application/json", make: () => JSON.stringify({ body: "x".repeat(3 * 1024 * 1024) }) },
  { name: "JSON scalar", contentType: "application/json", make: () => "42" },
  { name: "form with invalid escapes", contentType: "application/x-www-form-urlencoded", make: () => "threadId=%FF%FE&body=%E0%A4%A&title=%00" },
  { name: "multipart garbage", contentType: "multipart/form-data; boundary=xyz", make: () => "--xyz\r\nContent-Disposition: form-data; name=\"a\"\r\n\r\n\u0000\r\n--xy" },
];

/** Page forms (no JavaScript) and what each takes, posted with malformed fields. */
function formRoutes(ids: { threadId: string; noteId: string; caseStudyId: string; memberId: string; outcomeId: string; surveyId: string; surveyToken: string }): string[] {
  return [
    `/threads/${ids.threadId}`,
    `/notes/${ids.noteId}`,
    `/notes/${ids.noteId}/history`,
    `/case-studies/${ids.caseStudyId}`,
    `/case-studies/${ids.caseStudyId}/edit`,
    `/case-studies/${ids.caseStudyId}/versions/zh`,
    `/members/${ids.memberId}`,
    "/threads/new",
    "/notes/new",
    "/case-studies/new",
    "/settings",
    "/notifications",
    "/locale",
    "/admin/topics",
    "/admin/invitations",
    "/admin/email",
    "/moderation/review",
    "/moderation/requests",
    "/moderation/requests.csv",
    "/forgot-password",
    "/reset-password",
    "/email/confirm",
    "/email/unsubscribe/not-a-token",
    "/dialogues/dialogue-1",
    "/outcomes/new",
    `/outcomes/${ids.outcomeId}`,
    "/surveys/new",
    `/surveys/${ids.surveyId}`,
    `/surveys/${ids.surveyId}/edit`,
    `/s/${ids.surveyToken}`,
    "/uploads",
    "/no/such/route",
  ];
}

function formBody(): string {
  const pairs: string[] = [];
  const kinds = [
    () => "%00%01%1B",
    () => "%FF%FE%FD",
    () => "%E2%80%AE".repeat(50),
    () => "x".repeat(200_000),
    () => "%ZZ%",
    () => encodeURIComponent(JSON.stringify(deep(300))),
  ];
  // Every field, each malformed (an empty one would fall back to a default and could be valid).
  for (const field of ["intent", ...FIELDS]) pairs.push(`${field}=${pick(kinds)()}`);
  return pairs.join("&");
}

/** Every table's row count and a digest of its rows. */
async function snapshot(url: string): Promise<Record<string, string>> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    const { rows: tables } = await client.query<{ table_name: string }>(
      "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name",
    );
    const result: Record<string, string> = {};
    for (const { table_name } of tables) {
      const quoted = `"${table_name.replace(/"/g, '""')}"`;
      const { rows } = await client.query<{ n: string; digest: string | null }>(
        `SELECT count(*)::text AS n, md5(string_agg(t::text, '|' ORDER BY t::text)) AS digest FROM ${rowsOf(table_name) ? `(SELECT ${rowsOf(table_name)} FROM ${quoted})` : quoted} t`,
      );
      result[table_name] = `${rows[0]!.n}:${rows[0]!.digest ?? ""}`;
    }
    return result;
  } finally {
    await client.end();
  }
}

describe("a thousand malformed inputs", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let member: SignedIn;
  let admin: SignedIn;
  let ids: { threadId: string; noteId: string; caseStudyId: string; memberId: string; outcomeId: string; surveyId: string; surveyToken: string };
  const statuses = new Map<number, number>();
  let sent = 0;
  const fiveHundreds: string[] = [];

  const record = (what: string, status: number) => {
    sent++;
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    if (status >= 500) fiveHundreds.push(`${status} ${what}`);
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url, env: { LOG_LEVEL: "warn" } });
    const [m, a] = await Promise.all([createMember(db, { displayName: "Fuzzed Member" }), createMember(db, { role: "admin" })]);
    [member, admin] = await Promise.all([signIn(server.url, m.email, m.password), signIn(server.url, a.email, a.password)]);
    const thread = await insertThread(db, { authorId: m.id });
    await insertReplies(db, thread.id, [{ authorId: m.id, text: "A reply to aim at" }]);
    const note = await fetch(new URL("/api/commands/note.create", server.url), {
      method: "POST",
      headers: { "content-type": "application/json", origin: new URL(server.url).origin, cookie: member.cookie },
      body: JSON.stringify({ title: "Fuzz target note" }),
    }).then((r) => r.json() as Promise<{ result: { noteId: string } }>);
    const caseStudyId = await createStudy(server.url, db, member.cookie, { title: "Fuzz target study" });
    const outcome = await db.outcome.create({ data: { id: "fuzzoutcome1", type: "policy_idea", titleEn: "Fuzz target outcome", titleZh: "测试成果", isPublic: true, reviewedAt: new Date() } });
    const choices = [{ id: "o1", en: "Yes", zh: "是" }, { id: "o2", en: "No", zh: "否" }];
    const questions = { create: [{ id: "fuzzsq1", position: 1, type: "single_choice" as const, required: true, promptEn: "Agree?", promptZh: "同意吗?", options: choices }] };
    const survey = await db.survey.create({ data: { id: "fuzzsurvey1", titleEn: "Fuzz survey", titleZh: "测试问卷", audience: "all_members", openedAt: new Date(), opensAt: new Date(), announcedAt: new Date(), questions } });
    await db.survey.create({ data: { id: "fuzzsurvey2", titleEn: "Fuzz public survey", titleZh: "测试公开问卷", audience: "public_link", publicToken: "fuzzpublictoken123456", openedAt: new Date(), opensAt: new Date(), announcedAt: new Date(), questions: { create: [{ id: "fuzzsq2", position: 1, type: "scale", required: true, promptEn: "Hope?", promptZh: "希望?" }] } } });
    ids = { threadId: thread.id, noteId: note.result.noteId, caseStudyId, memberId: m.id, outcomeId: outcome.id, surveyId: survey.id, surveyToken: "fuzzpublictoken123456" };
  });

  afterAll(async () => {
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it("answers each with a 4xx, keeps the process alive and error-free, and changes no row", async () => {
    const before = await snapshot(database.url);
    const origin = new URL(server.url).origin;
    const post = async (path: string, body: Uint8Array | string, contentType: string, cookie: string) => {
      try {
        const response = await fetch(new URL(path, server.url), {
          method: "POST",
          headers: { "content-type": contentType, origin, cookie, accept: "application/json" },
          body: body as BodyInit,
          redirect: "manual",
        });
        await response.arrayBuffer();
        return response.status;
      } catch (error) {
        // A connection the server dropped without an answer counts as a failure, like a 5xx.
        fiveHundreds.push(`no answer for ${path} (${contentType}): ${(error as Error).cause ?? error}`);
        return 0;
      }
    };

    // 1. Every command over HTTP: malformed JSON inputs, as a member and as an admin, and raw bodies.
    for (const name of commandNames) {
      for (let i = 0; i < 6; i++) {
        const cookie = i % 2 === 0 ? member.cookie : admin.cookie;
        record(`POST ${name} json#${i}`, await post(`/api/commands/${name}`, JSON.stringify(malformedInput()), "application/json", cookie));
      }
      for (const raw of [pick(RAW_BODIES), pick(RAW_BODIES)]) {
        record(`POST ${name} ${raw.name}`, await post(`/api/commands/${name}`, raw.make(), raw.contentType, member.cookie));
      }
    }
    for (const raw of RAW_BODIES) record(`POST unknown command ${raw.name}`, await post("/api/commands/%00%FF", raw.make(), raw.contentType, member.cookie));

    // 2. Page forms without JavaScript.
    for (const path of formRoutes(ids)) {
      // Signed out too: a redirect to sign in that leaves the body unread must not stall the
      // connection for the next request (see drainUnreadBodies in server/app.ts).
      for (let i = 0; i < 10; i++) {
        const cookie = i % 3 === 2 ? "" : i % 2 === 0 ? member.cookie : admin.cookie;
        record(`POST ${path} form#${i}`, await post(path, formBody(), "application/x-www-form-urlencoded", cookie));
      }
      record(`POST ${path} raw`, await post(path, pick(RAW_BODIES).make(), pick(RAW_BODIES).contentType, member.cookie));
    }

    // 3. The socket: every command event and every other event, with malformed payloads, with
    //    and without an acknowledgement, then Yjs sync messages made of random bytes.
    const socket: ClientSocket = await connectSocket(server.url, { cookie: member.cookie });
    const emit = async (event: string, payload: unknown, withAck: boolean) => {
      const raw = socket as unknown as { emit(e: string, ...a: unknown[]): void; timeout(ms: number): { emitWithAck(e: string, p: unknown): Promise<unknown> } };
      sent++;
      // Events with no acknowledgement of their own (awareness, unknown names) time out here.
      if (withAck) await raw.timeout(1_000).emitWithAck(event, payload).catch(() => undefined);
      else raw.emit(event, payload);
      // Under the socket's own limit of 30 events a second, so each reaches its handler.
      await new Promise((resolve) => setTimeout(resolve, 40));
    };
    const otherEvents = ["thread:join", "thread:leave", "category:join", "category:leave", "doc:join", "doc:sync", "doc:awareness", "doc:leave", "no:such:event"];
    for (const event of [...commandNames, ...otherEvents]) {
      await emit(event, malformedInput(), true);
      await emit(event, pick(BAD_VALUES).make(), true);
      await emit(event, pick(BAD_VALUES).make(), false);
    }
    const joined = await (socket as unknown as { timeout(ms: number): { emitWithAck(e: string, p: unknown): Promise<{ ok: boolean }> } })
      .timeout(10_000)
      .emitWithAck("doc:join", { noteId: ids.noteId });
    expect(joined.ok).toBe(true);
    for (let i = 0; i < 200; i++) {
      // y-protocols: 0 = sync step 1, 1 = step 2, 2 = update, followed by random bytes.
      const message = Uint8Array.from([i % 3, ...bytes(1 + Math.floor(rand() * 64))]);
      await emit("doc:sync", { noteId: ids.noteId, message }, i % 4 !== 0);
      if (i % 10 === 0) await emit("doc:awareness", { noteId: ids.noteId, update: bytes(40) }, false);
    }
    socket.close();

    expect(sent).toBeGreaterThanOrEqual(1000);
    expect(fiveHundreds, `answers ≥ 500: ${fiveHundreds.slice(0, 10).join("; ")}`).toEqual([]);
    // The process is alive and serving, and logged no error (pino levels 50 and 60).
    expect((await fetch(new URL("/", server.url))).status).toBe(200);
    expect(server.process.exitCode).toBeNull();
    const errors = server.output().split("\n").filter((line) => /"level":(50|60)/.test(line));
    expect(errors.slice(0, 5)).toEqual([]);
    expect(await snapshot(database.url)).toEqual(before);
  }, 600_000);
});
