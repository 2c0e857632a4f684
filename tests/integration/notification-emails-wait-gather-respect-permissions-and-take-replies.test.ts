/**
 * Notification emails, over real SMTP: a mention and replies in a watched thread wait
 * EMAIL_DELAY_SECONDS and arrive as one email in the member's language, with the thread's
 * Message-ID/In-Reply-To/References and RFC 8058 List-Unsubscribe headers; nothing is sent for
 * what was read on the site meanwhile or hidden before the send; one-click unsubscribe turns off
 * exactly one kind. Notes shared and case-study comments are emailed too. Replies by email go
 * through `reply.create`: quoted text stripped in both languages, a locked thread refused with a
 * bounce in the member's language, forged tokens refused at RCPT TO.
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { createStudy } from "../helpers/case-studies";
import { apiCommand } from "../helpers/commands";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createMember, dialogueBySlug, insertThread, openPrisma, paragraphDoc, type TestMember } from "../helpers/factories";
import { get, request } from "../helpers/http";
import { linkTo, sendMail, startMailSink, type MailSink, type ReceivedMail } from "../helpers/mail";
import { startServer, type RunningServer } from "../helpers/server";

describe("notification emails", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let sink: MailSink;
  let inboundPort: number;
  let sarah: TestMember;
  let li: TestMember;
  let moderator: TestMember;
  let sarahIn: SignedIn;
  let liIn: SignedIn;
  let modIn: SignedIn;
  let dialogueId: string;

  const newThread = async (title: string) => {
    const thread = await insertThread(db, { authorId: sarah.id, dialogueId, title });
    await db.thread.update({ where: { id: thread.id }, data: { titleZh: `${title}(中文)` } });
    return thread;
  };
  const reply = async (who: SignedIn, threadId: string, text: string | ReturnType<typeof paragraphDoc>, extra: Record<string, unknown> = {}) => {
    const outcome = await apiCommand(server.url, "reply.create", { threadId, ...(typeof text === "string" ? { body: text } : { content: text }), ...extra }, { cookie: who.cookie });
    expect(outcome.code, JSON.stringify(outcome)).toBe("ok");
    return outcome.result as { id: string; postNumber: number };
  };
  const mailsTo = (member: TestMember) => (m: ReceivedMail) => m.to.includes(member.email.toLowerCase());

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    sink = await startMailSink();
    server = await startServer({ databaseUrl: database.url, env: { SMTP_URL: sink.url, EMAIL_DELAY_SECONDS: "4", INBOUND_SMTP_PORT: "0", INBOUND_SMTP_HOST: "127.0.0.1" } });
    inboundPort = Number(/Reply by email: SMTP on port (\d+)/.exec(server.output())?.[1]);
    expect(inboundPort).toBeGreaterThan(0);
    dialogueId = (await dialogueBySlug(db, "2024-09-23-economic-diversification")).id;
    [sarah, li, moderator] = await Promise.all([
      createMember(db, { displayName: "Sarah Miller", region: "wyoming" }),
      createMember(db, { displayName: "李伟", locale: "zh", region: "shanxi" }),
      createMember(db, { role: "moderator", displayName: "Mo Derator" }),
    ]);
    [sarahIn, liIn, modIn] = await Promise.all([signIn(server.url, sarah.email, sarah.password), signIn(server.url, li.email, li.password), signIn(server.url, moderator.email, moderator.password)]);
  });

  afterAll(async () => {
    await server?.stop();
    await sink?.close();
    await db?.$disconnect();
    await database?.drop();
  });

  it("gathers a mention and replies in a watched thread into one Chinese email with thread headers, then threads the next one", async () => {
    const thread = await newThread("Mine reclamation in Shanxi");
    expect((await apiCommand(server.url, "thread.watch", { threadId: thread.id, level: "watching" }, { cookie: liIn.cookie })).code).toBe("ok");
    await reply(sarahIn, thread.id, paragraphDoc("What do you think, ", { id: li.id, displayName: "李伟" }, "?"));
    await reply(sarahIn, thread.id, "The second post arrives within the same ten minutes.");

    const first = await sink.waitFor(mailsTo(li));
    expect(first.subject).toBe("[煤炭地区网络] Mine reclamation in Shanxi(中文)");
    expect(first.text).toContain("李伟,您好");
    expect(first.text).toContain("2 条您尚未查看的新帖子");
    expect(first.text).toContain("What do you think, @李伟?");
    expect(first.text).toContain("The second post arrives within the same ten minutes.");
    expect(first.html).toContain("Sarah Miller");
    expect(first.html).toMatch(/<html[^>]*lang="zh-CN"/);
    const threadRef = `<thread-${thread.id}@localhost>`;
    expect(first.header("in-reply-to")).toBe(threadRef);
    expect(first.header("references")).toBe(threadRef);
    expect(first.header("message-id")).not.toBe(threadRef);
    expect(first.header("list-unsubscribe")).toMatch(new RegExp(`^<${server.url}/email/unsubscribe/[^>]+>$`));
    expect(first.header("list-unsubscribe-post")).toBe("List-Unsubscribe=One-Click");
    expect(first.header("auto-submitted")).toBe("auto-generated");
    expect(first.header("reply-to")).toMatch(/^reply\+[a-z0-9-]+@localhost$/);
    // The links work for the member.
    const open = new URL(linkTo(first, `/threads/${thread.id}`));
    expect((await get(server.url, open.pathname + open.search, { cookie: liIn.cookie })).status).toBe(200);

    await reply(sarahIn, thread.id, "A third post, after the first email.");
    const [, second] = await sink.waitForCount(mailsTo(li), 2);
    expect(second.text).toContain("A third post, after the first email.");
    expect(second.text).not.toContain("The second post arrives");
    expect(second.header("references")).toBe(threadRef);
    expect(second.subject).toBe(first.subject);
  });

  it("emails an English reply to one's post, and nothing for what was read on the site or hidden before the send", async () => {
    const thread = await newThread("Diversification funds");
    const mine = await reply(liIn, thread.id, "我的第一个帖子。");
    const answer = await reply(sarahIn, thread.id, "Replying to Li in English.", { replyToId: mine.id });
    const mail = await sink.waitFor((m) => mailsTo(li)(m) && m.text.includes("Replying to Li in English."));
    expect(mail.text).toContain("Sarah Miller 回复了您");
    void answer;

    // Read on the site before the delay: no email.
    const readThread = await newThread("Read before the email");
    await reply(sarahIn, readThread.id, paragraphDoc("Seen quickly, ", { id: li.id, displayName: "李伟" }));
    expect((await apiCommand(server.url, "notifications.markRead", {}, { cookie: liIn.cookie })).code).toBe("ok");
    await expect.poll(async () => (await db.emailMessage.findFirst({ where: { userId: li.id, refId: readThread.id } }))?.status, { timeout: 30_000 }).toBe("cancelled");
    expect((await db.emailMessage.findFirstOrThrow({ where: { userId: li.id, refId: readThread.id } })).reason).toBe("read_on_site");

    // Hidden by a moderator before the delay: no email.
    const hiddenThread = await newThread("Hidden before the email");
    const hidden = await reply(sarahIn, hiddenThread.id, paragraphDoc("Something rude for ", { id: li.id, displayName: "李伟" }));
    expect((await apiCommand(server.url, "reply.hide", { replyId: hidden.id, reason: "rude" }, { cookie: modIn.cookie })).code).toBe("ok");
    await expect.poll(async () => (await db.emailMessage.findFirst({ where: { userId: li.id, refId: hiddenThread.id } }))?.status, { timeout: 30_000 }).toBe("cancelled");
    expect(sink.messages.some((m) => m.text.includes("Something rude") || m.text.includes("Seen quickly"))).toBe(false);
  });

  it("turns off exactly one kind with a one-click unsubscribe POST without a cookie", async () => {
    const thread = await newThread("Unsubscribe from watching");
    expect((await apiCommand(server.url, "thread.watch", { threadId: thread.id, level: "watching" }, { cookie: liIn.cookie })).code).toBe("ok");
    await reply(sarahIn, thread.id, "A watched reply before unsubscribing.");
    const mail = await sink.waitFor((m) => mailsTo(li)(m) && m.text.includes("A watched reply before unsubscribing."));
    const target = /^<(.+)>$/.exec(mail.header("list-unsubscribe"))![1];
    const before = await db.user.findUniqueOrThrow({ where: { id: li.id } });
    // RFC 8058: what a mail provider sends, from its own servers.
    const response = await request(server.url, new URL(target).pathname, { method: "POST", origin: null, headers: { "content-type": "application/x-www-form-urlencoded" }, form: { "List-Unsubscribe": "One-Click" } });
    expect(response.status).toBe(200);
    const after = await db.user.findUniqueOrThrow({ where: { id: li.id } });
    expect(after.emailWatching).toBe(false);
    expect({ ...after, emailWatching: true }).toEqual({ ...before, emailWatching: true });
    // A forged token changes nothing.
    const forged = await request(server.url, new URL(target).pathname.replace(/.$/, (c) => (c === "a" ? "b" : "a")), { method: "POST", origin: null, form: { "List-Unsubscribe": "One-Click" } });
    expect(forged.status).toBe(404);

    // Watched replies stop; a mention still comes.
    await reply(sarahIn, thread.id, "Watched reply after unsubscribing.");
    await reply(sarahIn, thread.id, paragraphDoc("But a mention still reaches ", { id: li.id, displayName: "李伟" }));
    const mention = await sink.waitFor((m) => mailsTo(li)(m) && m.text.includes("But a mention still reaches"));
    expect(mention.text).not.toContain("Watched reply after unsubscribing.");
    expect(mention.header("list-unsubscribe")).not.toBe(mail.header("list-unsubscribe"));
  });

  it("emails a shared note and comments on one's case study", async () => {
    const note = await apiCommand(server.url, "note.create", { title: "Joint policy note" }, { cookie: sarahIn.cookie });
    const noteId = (note.result as { noteId: string }).noteId;
    expect((await apiCommand(server.url, "noteMember.add", { noteId, member: li.email, role: "editor" }, { cookie: sarahIn.cookie })).code).toBe("ok");
    const shared = await sink.waitFor((m) => mailsTo(li)(m) && m.subject.includes("Joint policy note"));
    expect(shared.subject).toBe("Sarah Miller 与您共享了政策笔记:Joint policy note");
    expect((await get(server.url, new URL(linkTo(shared, `/notes/${noteId}`)).pathname, { cookie: liIn.cookie })).status).toBe(200);

    const caseStudyId = await createStudy(server.url, db, sarahIn.cookie, { title: "Wind on old mine land" });
    expect((await apiCommand(server.url, "caseStudyComment.create", { caseStudyId, body: "很有启发的案例。" }, { cookie: liIn.cookie })).code).toBe("ok");
    const comment = await sink.waitFor((m) => mailsTo(sarah)(m) && m.subject.startsWith("New comments on your case study"));
    expect(comment.text).toContain("很有启发的案例。");
    expect(comment.text).toContain("Hello Sarah Miller,");
  });

  it("posts a reply by email with the quoted text stripped, in English and Chinese, and refuses a locked thread with a bounce", async () => {
    // Fresh members: the others are near the limit of 10 replies a minute, which email replies meet too.
    const [wang, tom] = await Promise.all([createMember(db, { displayName: "王芳", locale: "zh" }), createMember(db, { displayName: "Tom Baker" })]);
    const [wangIn, tomIn] = await Promise.all([signIn(server.url, wang.email, wang.password), signIn(server.url, tom.email, tom.password)]);
    const thread = await newThread("Replies by email");
    const posted = await reply(wangIn, thread.id, "请大家讨论。");
    await reply(tomIn, thread.id, "Tom answers Wang.", { replyToId: posted.id });
    const toWang = await sink.waitFor((m) => mailsTo(wang)(m) && m.text.includes("Tom answers Wang."));
    const wangReplyTo = toWang.header("reply-to");

    await sendMail(inboundPort, {
      from: wang.email,
      to: wangReplyTo,
      subject: `Re: ${toWang.subject}`,
      inReplyTo: toWang.header("message-id"),
      text: ["谢谢,我同意这个方向。", "", "发自我的iPhone", "", "在 2026年12月7日 09:00,Sarah Miller <notify@localhost> 写道:", "> Tom answers Wang.", "> 旧的引用"].join("\n"),
    });
    await expect.poll(() => db.reply.findFirst({ where: { threadId: thread.id, authorId: wang.id, text: "谢谢,我同意这个方向。" } }), { timeout: 30_000 }).toBeTruthy();

    await reply(wangIn, thread.id, paragraphDoc("Over to you, ", { id: tom.id, displayName: "Tom Baker" }));
    const toTom = await sink.waitFor((m) => mailsTo(tom)(m) && m.text.includes("Over to you"));
    await sendMail(inboundPort, {
      from: tom.email,
      to: toTom.header("reply-to"),
      subject: `Re: ${toTom.subject}`,
      text: ["Agreed, let us meet in Taiyuan.", "", "On Mon, Dec 7, 2026 at 9:00 AM 李伟 <notify@localhost>", "wrote:", "> Over to you", "", "-----Original Message-----", "From: someone"].join("\n"),
    });
    await expect.poll(() => db.reply.findFirst({ where: { threadId: thread.id, authorId: tom.id, text: "Agreed, let us meet in Taiyuan." } }), { timeout: 30_000 }).toBeTruthy();

    // Locked: refused like a web reply, with a Chinese bounce.
    expect((await apiCommand(server.url, "thread.lock", { threadId: thread.id }, { cookie: modIn.cookie })).code).toBe("ok");
    await sendMail(inboundPort, { from: wang.email, to: wangReplyTo, subject: "Re: locked", text: "这条回复不应发布。" });
    const bounce = await sink.waitFor((m) => mailsTo(wang)(m) && m.subject === "您的回复未能发布");
    expect(bounce.text).toContain("这条回复不应发布。");
    expect(await db.reply.count({ where: { threadId: thread.id, text: "这条回复不应发布。" } })).toBe(0);

    // Someone else's address with Li's token: refused, and Li is told.
    expect((await apiCommand(server.url, "thread.unlock", { threadId: thread.id }, { cookie: modIn.cookie })).code).toBe("ok");
    await sendMail(inboundPort, { from: "stranger@test.example", to: wangReplyTo, subject: "Re: spoof", text: "Posting as Wang." });
    await sink.waitFor((m) => mailsTo(wang)(m) && m.subject === "您的回复未能发布" && m.text.includes("Posting as Wang."));
    expect(await db.reply.count({ where: { threadId: thread.id, text: "Posting as Wang." } })).toBe(0);

    // A forged token is refused at RCPT TO.
    const forged = wangReplyTo.replace(/([a-z2-7])@/, (_, c: string) => `${c === "a" ? "b" : "a"}@`);
    await expect(sendMail(inboundPort, { from: wang.email, to: forged, subject: "Re: forged", text: "Forged." })).rejects.toThrow(/550|No such reply address/);
  });
});
