/**
 * Issue 14, attribution levels. Under the Chatham House Rule a member who is neither the author
 * nor staff never receives the author's name, id or organisation — not in a page, a command's
 * result, a socket event, search, notifications, the feed, their data export or an email (one
 * collector, tests/helpers/attribution.ts). Staff see names marked as theirs only; loosening a
 * thread never reveals an earlier author; tightening hides at once; mentions are refused; off
 * the record, a thread is closed to non-participants and its words are not in search.
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { collectOutputs, expectNowhere } from "../helpers/attribution";
import { signIn, type SignedIn } from "../helpers/auth";
import { apiCommand } from "../helpers/commands";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { uniqueSuffix } from "../helpers/env";
import { createMember, dialogueBySlug, paragraphDoc, openPrisma, type TestMember } from "../helpers/factories";
import { get, languageCookie } from "../helpers/http";
import { startMailSink, type MailSink, type ReceivedMail } from "../helpers/mail";
import { startServer, type RunningServer } from "../helpers/server";
import { AllEvents, closeSockets, connectSocket, joinThread, type ClientSocket } from "../helpers/sockets";

const DIALOGUE = "2024-12-climate-finance";

describe("the Chatham House Rule", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let sink: MailSink;
  let dialogueId: string;
  let speaker: TestMember;
  let reader: TestMember;
  let moderator: TestMember;
  let admin: TestMember;
  let speakerIn: SignedIn;
  let readerIn: SignedIn;
  let moderatorIn: SignedIn;
  let adminIn: SignedIn;
  const sockets: ClientSocket[] = [];
  const organisation = `Secret Bureau ${uniqueSuffix()}`;

  const command = async (who: SignedIn, name: string, input: Record<string, unknown>) => {
    const outcome = await apiCommand(server.url, name, input, { cookie: who.cookie });
    expect(outcome.code, `${name}: ${JSON.stringify(outcome).slice(0, 300)}`).toBe("ok");
    return outcome.result as Record<string, unknown>;
  };
  const newThread = async (title: string, text: string, who: SignedIn = speakerIn) => {
    const created = await command(who, "thread.create", { dialogueId, title, body: text });
    return { threadId: String(created.threadId), replyId: String(created.replyId) };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    sink = await startMailSink();
    server = await startServer({ databaseUrl: database.url, env: { SMTP_URL: sink.url, EMAIL_DELAY_SECONDS: "2" } });
    dialogueId = (await dialogueBySlug(db, DIALOGUE)).id;
    [speaker, reader, moderator, admin] = await Promise.all([
      createMember(db, { displayName: `Speaker ${uniqueSuffix()}`, region: "inner-mongolia" }),
      createMember(db, { displayName: `Reader ${uniqueSuffix()}`, region: "wyoming" }),
      createMember(db, { role: "moderator", displayName: `Moderator ${uniqueSuffix()}` }),
      createMember(db, { role: "admin" }),
    ]);
    await db.user.update({ where: { id: speaker.id }, data: { organisation } });
    [speakerIn, readerIn, moderatorIn, adminIn] = await Promise.all([speaker, reader, moderator, admin].map((m) => signIn(server.url, m.email, m.password)));
    await command(adminIn, "dialogue.configure", { dialogueId, attributionLevel: "chatham_house" });
  });

  afterAll(async () => {
    closeSockets(...sockets);
    await server?.stop();
    await sink?.close();
    await db?.$disconnect();
    await database?.drop();
  });

  it("never sends the speaker's name, id or organisation to another member, through any channel", async () => {
    const word = `kelpwort${uniqueSuffix().replace(/\W/g, "")}`;
    const { threadId, replyId } = await newThread(`Budgets ${word}`, `Our budget depends on coal ${word}.`);
    // The reader watches the thread: notifications, a notification email and live events follow.
    await command(readerIn, "thread.watch", { threadId, level: "watching" });
    const readerSocket = await connectSocket(server.url, { cookie: readerIn.cookie });
    sockets.push(readerSocket);
    const events = new AllEvents(readerSocket, []);
    const joined = await joinThread(readerSocket, threadId);
    expect(joined.ok).toBe(true);

    const answer = await command(readerIn, "reply.create", { threadId, replyToId: replyId, body: `Answering the first speaker ${word}.` });
    const second = await command(speakerIn, "reply.create", { threadId, replyToId: String(answer.id), body: `A second point ${word}.` });
    await command(speakerIn, "reply.edit", { replyId: String(second.id), body: `A second point, edited ${word}.` });
    await events.waitFor((event, payload) => event === "reply:updated" && (payload as { reply: { id: string } }).reply.id === second.id);
    const catchUp = await readerSocket.timeout(10_000).emitWithAck("thread:join", { threadId, since: 0 });
    const mails: ReceivedMail[] = [await sink.waitFor((m) => m.to.includes(reader.email.toLowerCase()) && m.text.includes(word), 30_000)];

    const outputs = await collectOutputs({
      baseUrl: server.url,
      viewer: readerIn,
      threadId,
      dialogueSlug: DIALOGUE,
      searchWords: [word, "budget"],
      replyIds: [replyId, String(second.id)],
      results: [
        { where: "reply.create result", value: answer },
        { where: "thread:join ack", value: joined },
        { where: "thread:join catch-up", value: catchUp },
        ...events.events.map((e) => ({ where: `socket ${e.event}`, value: e.payload })),
      ],
      mails,
    });
    expectNowhere(outputs, [speaker.displayName, speaker.id, organisation]);
    // The pseudonym is what they see instead, the same on every reply.
    const page = outputs.find((o) => o.where.startsWith(`GET /threads/${threadId}?last=1`))!.body;
    expect(page).toContain("Participant 1");
    expect(page).toContain("Chatham House Rule");
    expect(mails[0]!.text).toContain("Participant 1");
    // Their reply is not on the speaker's profile for others…
    expect((await get(server.url, `/members/${speaker.id}`, { cookie: readerIn.cookie })).body).not.toContain(word);
    // …but the speaker and staff see the name (staff: marked as theirs only).
    expect((await get(server.url, `/members/${speaker.id}`, { cookie: speakerIn.cookie })).body).toContain(word);
    const staffView = (await get(server.url, `/threads/${threadId}?last=1`, { cookie: moderatorIn.cookie })).body;
    expect(staffView).toContain(speaker.displayName);
    expect(staffView).toContain("name visible to staff only");
  });

  it("sends staff sockets the name and member sockets only the pseudonym", async () => {
    const { threadId } = await newThread(`Live ${uniqueSuffix()}`, "Opening.");
    const [memberSocket, staffSocket] = await Promise.all([connectSocket(server.url, { cookie: readerIn.cookie }), connectSocket(server.url, { cookie: moderatorIn.cookie })]);
    sockets.push(memberSocket, staffSocket);
    const memberEvents = new AllEvents(memberSocket);
    const staffEvents = new AllEvents(staffSocket);
    expect((await joinThread(memberSocket, threadId)).ok).toBe(true);
    expect((await joinThread(staffSocket, threadId)).ok).toBe(true);
    const posted = await command(speakerIn, "reply.create", { threadId, body: "Live words." });
    const isIt = (event: string, payload: unknown) => event === "reply:created" && (payload as { reply: { id: string } }).reply.id === posted.id;
    const [m, s] = await Promise.all([memberEvents.waitFor(isIt), staffEvents.waitFor(isIt)]);
    const memberReply = (memberEvents.events[m]!.payload as { reply: { author: Record<string, unknown> } }).reply;
    const staffReply = (staffEvents.events[s]!.payload as { reply: { author: Record<string, unknown> } }).reply;
    expect(memberReply.author).toEqual({ id: null, displayName: null, region: null, participant: 1, staffOnly: false });
    expect(staffReply.author).toMatchObject({ id: speaker.id, displayName: speaker.displayName, participant: 1, staffOnly: true });
    expect(memberEvents.events.filter((e) => e.event === "reply:created")).toHaveLength(1);
  });

  it("refuses a mention in the thread, in the member's language", async () => {
    const { threadId } = await newThread(`Mentions ${uniqueSuffix()}`, "No names here.");
    const outcome = await apiCommand(server.url, "reply.create", { threadId, content: paragraphDoc("Ask ", { id: reader.id, displayName: reader.displayName }) }, { cookie: `${speakerIn.cookie}; ${await languageCookie(server.url, "zh")}` });
    expect(outcome.code).toBe("mention_not_allowed");
    expect(outcome.status).toBe(400);
    expect(outcome.message).toContain("查塔姆研究所规则");
    expect(await db.reply.count({ where: { threadId } })).toBe(1);
  });

  /** Another speaker (three new threads per member per ten minutes). */
  const anotherSpeaker = async () => {
    const member = await createMember(db, { displayName: `Speaker ${uniqueSuffix()}` });
    return { member, session: await signIn(server.url, member.email, member.password) };
  };

  it("never reveals an earlier author when a thread is loosened, and hides everyone at once when tightened", async () => {
    const { member: speaker, session: speakerIn } = await anotherSpeaker();
    const { threadId } = await newThread(`Loosen ${uniqueSuffix()}`, "Said under the rule.", speakerIn);
    await command(moderatorIn, "thread.attribution", { threadId, level: "on_record" });
    await command(speakerIn, "reply.create", { threadId, body: "Said on the record." });
    let page = (await get(server.url, `/threads/${threadId}?last=1`, { cookie: readerIn.cookie })).body;
    expect(page).toContain("Participant 1"); // the first post keeps the rule it was written under
    expect(page).toContain(speaker.displayName); // the later one is on the record
    expect(page).not.toContain(">Chatham House Rule<");

    const onRecord = await command(speakerIn, "thread.create", { dialogueId: null, title: `Tighten ${uniqueSuffix()}`, body: "An open remark." });
    page = (await get(server.url, `/threads/${onRecord.threadId}`, { cookie: readerIn.cookie })).body;
    expect(page).toContain(speaker.displayName);
    await command(moderatorIn, "thread.attribution", { threadId: onRecord.threadId, level: "chatham_house" });
    page = (await get(server.url, `/threads/${onRecord.threadId}`, { cookie: readerIn.cookie })).body;
    expect(page).not.toContain(speaker.displayName);
    expect(page).toContain("Participant 1");
  });

  it("keeps an off-the-record thread to the dialogue's participants and staff, and its words out of search", async () => {
    const { member: speaker, session: speakerIn } = await anotherSpeaker();
    const offDialogue = await dialogueBySlug(db, "2024-09-23-economic-diversification");
    await command(adminIn, "dialogue.configure", { dialogueId: offDialogue.id, attributionLevel: "off_the_record" });
    // The speaker takes part; the reader does not.
    const request = await db.participationRequest.create({ data: { id: `req${uniqueSuffix().replace(/\W/g, "")}`.slice(0, 30), dialogueId: offDialogue.id, userId: speaker.id, name: speaker.displayName, email: speaker.email } });
    await command(moderatorIn, "participation.decide", { requestId: request.id, decision: "approved" });
    // The reader watches the dialogue's discussions, yet must not learn of the thread.
    await command(readerIn, "category.watch", { categoryKey: `dialogue:${offDialogue.id}`, level: "watching" });
    const word = `quillback${uniqueSuffix().replace(/\W/g, "")}`;
    const created = await command(speakerIn, "thread.create", { dialogueId: offDialogue.id, title: `Off ${word}`, body: `Not for elsewhere ${word}.` });
    expect((await get(server.url, `/threads/${created.threadId}`, { cookie: readerIn.cookie })).status).toBe(404);
    expect((await get(server.url, `/threads/${created.threadId}`, { cookie: speakerIn.cookie })).status).toBe(200);
    expect((await get(server.url, `/threads/${created.threadId}`, { cookie: moderatorIn.cookie })).status).toBe(200);
    expect((await get(server.url, `/dialogues/${offDialogue.slug}`, { cookie: readerIn.cookie })).body).not.toContain(word);
    for (const who of [readerIn, speakerIn, moderatorIn]) {
      expect((await get(server.url, `/search?q=${word}`, { cookie: who.cookie })).body).not.toContain(`/threads/${created.threadId}`);
    }
    expect(await db.searchDocument.count({ where: { threadId: String(created.threadId) } })).toBe(0);
    expect(await db.notification.count({ where: { userId: reader.id, threadId: String(created.threadId) } })).toBe(0);
    expect((await get(server.url, "/latest", { cookie: readerIn.cookie })).body).not.toContain(word);
    const readerSocket = await connectSocket(server.url, { cookie: readerIn.cookie });
    sockets.push(readerSocket);
    expect((await joinThread(readerSocket, created.threadId)).ok).toBe(false);
  });
});
