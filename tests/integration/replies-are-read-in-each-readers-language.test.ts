/**
 * Issue 15: translations of replies and thread titles, through the real HTTP API, sockets and
 * pages against a real server and PostgreSQL. A member adds, improves and removes translations
 * (and who may), readers see a reply in their interface language with a label and the original
 * one click away, an edit of the original marks the translation outdated and tells its
 * translator, search finds a reply by either version with the snippet in the reader's language,
 * a translation reaches open pages live, and translators follow the thread's attribution level.
 * Machine translation runs against an in-process HTTP server speaking LibreTranslate's API,
 * including its error and timeout paths; without TRANSLATE_URL the action is neither shown nor
 * accepted.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { apiCommand } from "../helpers/commands";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { uniqueSuffix } from "../helpers/env";
import { createMember, dialogueBySlug, openPrisma, type TestMember } from "../helpers/factories";
import { get, languageCookie, request } from "../helpers/http";
import { startServer, type RunningServer } from "../helpers/server";
import type { ThreadChange } from "~/realtime/events";
import { AllEvents, closeSockets, connectSocket, joinThread, type ClientSocket } from "../helpers/sockets";

const DIALOGUE = "2024-12-climate-finance";
/** One Latin word (letters only), so it never outweighs a Chinese title's characters. */
const word = () => `w${uniqueSuffix().replace(/[^a-z]/gi, "")}`;

interface Outcome {
  code: string;
  status: number;
  result?: unknown;
}

async function world(env: Record<string, string> = {}) {
  const database = await createTestDatabase();
  const db = openPrisma(database.url);
  const server = await startServer({ databaseUrl: database.url, env });
  const dialogueId = (await dialogueBySlug(db, DIALOGUE)).id;
  const [liWei, sarah, wangLi, other, moderator, admin] = await Promise.all([
    createMember(db, { displayName: `Li Wei ${uniqueSuffix()}`, region: "shanxi" }),
    createMember(db, { displayName: `Sarah ${uniqueSuffix()}`, region: "wyoming" }),
    createMember(db, { displayName: `Wang Li ${uniqueSuffix()}`, region: "shaanxi" }),
    createMember(db, { displayName: `Other ${uniqueSuffix()}`, region: "west-virginia" }),
    createMember(db, { role: "moderator", displayName: `Moderator ${uniqueSuffix()}` }),
    createMember(db, { role: "admin" }),
  ]);
  const signed = await Promise.all([liWei, sarah, wangLi, other, moderator, admin].map((m) => signIn(server.url, m.email, m.password)));
  const [zhCookie, enCookie] = await Promise.all([languageCookie(server.url, "zh"), languageCookie(server.url, "en")]);
  const run = (who: SignedIn, name: string, input: Record<string, unknown>) => apiCommand(server.url, name, input, { cookie: who.cookie }) as Promise<Outcome>;
  const ok = async (who: SignedIn, name: string, input: Record<string, unknown>) => {
    const outcome = await run(who, name, input);
    expect(outcome.code, `${name}: ${JSON.stringify(outcome).slice(0, 400)}`).toBe("ok");
    return outcome.result as Record<string, unknown>;
  };
  // A fresh author per thread: starting threads is rate-limited (3 per member per 10 minutes).
  const author = async () => {
    const member = await createMember(db, { displayName: `Li Wei ${uniqueSuffix()}`, region: "shanxi" });
    return { member, signed: await signIn(server.url, member.email, member.password) };
  };
  const page = (who: SignedIn, path: string, lang: "en" | "zh") => get(server.url, path, { cookie: `${who.cookie}; ${lang === "zh" ? zhCookie : enCookie}` });
  return { database, db, server, dialogueId, members: { liWei, sarah, wangLi, other, moderator, admin }, signed, run, ok, page, author };
}

type World = Awaited<ReturnType<typeof world>>;

async function teardown(w: World | undefined) {
  await w?.server.stop();
  await w?.db.$disconnect();
  await w?.database.drop();
}

describe("translations of replies and titles", () => {
  let w: World;
  let liWei: SignedIn, sarah: SignedIn, wangLi: SignedIn, other: SignedIn, moderator: SignedIn, admin: SignedIn;
  let members: World["members"];
  const sockets: ClientSocket[] = [];

  beforeAll(async () => {
    w = await world();
    [liWei, sarah, wangLi, other, moderator, admin] = w.signed;
    members = w.members;
  });
  afterAll(async () => {
    closeSockets(...sockets);
    await teardown(w);
  });

  const chineseThread = async (key: string) => {
    const { member, signed } = await w.author();
    liWei = signed;
    members = { ...members, liWei: member };
    const created = await w.ok(liWei, "thread.create", { dialogueId: w.dialogueId, title: `煤矿工人的再就业 ${key}`, body: `我们县关闭了两座煤矿，大多数工人接受了再培训 ${key}。` });
    return { threadId: String(created.threadId), replyId: String(created.replyId) };
  };

  it("stores the reply's language, and lets any reader add, improve and remove a translation as the rules say", async () => {
    const key = word();
    const { threadId, replyId } = await chineseThread(key);
    const stored = await w.db.reply.findUniqueOrThrow({ where: { id: replyId } });
    expect(stored.language).toBe("zh");
    expect((await w.db.thread.findUniqueOrThrow({ where: { id: threadId } })).titleLanguage).toBe("zh");

    // Into the reply's own language: refused, and said so.
    // A Chinese answer under an English quote is Chinese: its own words decide.
    const quoting = await w.ok(sarah, "reply.create", {
      threadId,
      content: { type: "doc", content: [{ type: "blockquote", content: [{ type: "paragraph", content: [{ type: "text", text: "A long English sentence quoted from an earlier reply about the county budget" }] }] }, { type: "paragraph", content: [{ type: "text", text: "同意，我们县也是这样" }] }] },
    });
    expect(quoting.language).toBe("zh");

    const same = await w.run(wangLi, "reply.translate", { replyId, language: "zh", body: "再来一遍" });
    expect([same.code, same.status]).toEqual(["translation_original_language", 400]);

    const first = await w.ok(wangLi, "reply.translate", { replyId, language: "en", body: `Our county closed two mines; most workers retrained ${key}.` });
    const translations = first.translations as { language: string; kind: string; translator: { id: string; displayName: string }; outdated: boolean; text: string }[];
    expect(translations).toHaveLength(1);
    expect(translations[0]).toMatchObject({ language: "en", kind: "human", outdated: false, translator: { id: members.wangLi.id, displayName: members.wangLi.displayName } });

    // Another member improves it: the translation is now theirs.
    await w.ok(other, "reply.translate", { replyId, language: "en", body: `Our county closed two coal mines, and most miners retrained ${key}.` });
    const row = await w.db.replyTranslation.findUniqueOrThrow({ where: { replyId_language: { replyId, language: "en" } } });
    expect(row).toMatchObject({ translatorId: members.other.id, kind: "human", sourceRevision: 0 });
    expect(row.text).toContain("coal mines");

    // Removing: not the earlier translator, not another member; the translator, the author or staff.
    for (const who of [wangLi, sarah]) {
      const refused = await w.run(who, "reply.untranslate", { replyId, language: "en" });
      expect([refused.code, refused.status]).toEqual(["forbidden", 403]);
    }
    expect(await w.db.replyTranslation.count({ where: { replyId } })).toBe(1);
    await w.ok(liWei, "reply.untranslate", { replyId, language: "en" });
    expect(await w.db.replyTranslation.count({ where: { replyId } })).toBe(0);
    await w.ok(sarah, "reply.translate", { replyId, language: "en", body: `Sarah's version ${key}` });
    await w.ok(sarah, "reply.untranslate", { replyId, language: "en" });
    await w.ok(wangLi, "reply.translate", { replyId, language: "en", body: `Wang Li's version ${key}` });
    await w.ok(moderator, "reply.untranslate", { replyId, language: "en" });
    expect(await w.db.staffAction.count({ where: { action: "reply.untranslate", targetId: replyId, actorId: members.moderator.id } })).toBe(1);

    // Nothing half-written by bad input: an empty translation is refused with a clear code.
    const empty = await w.run(wangLi, "reply.translate", { replyId, language: "en", body: "   " });
    expect([empty.code, empty.status]).toEqual(["translation_empty", 400]);
    expect(await w.db.replyTranslation.count({ where: { replyId } })).toBe(0);

    // A hidden reply cannot be translated, even by someone who can still see it (its author).
    await w.ok(moderator, "reply.hide", { replyId, reason: "check" });
    const hidden = await w.run(liWei, "reply.translate", { replyId, language: "en", body: "Hidden" });
    expect(hidden.code).toBe("forbidden");
    const unseen = await w.run(sarah, "reply.translate", { replyId, language: "en", body: "Hidden" });
    expect(unseen.code).toBe("not_found");
  });

  it("shows an English reader the labelled translation with the original one click away, and a Chinese reader the original", async () => {
    const key = word();
    const { threadId, replyId } = await chineseThread(key);
    await w.ok(wangLi, "reply.translate", { replyId, language: "en", body: `Our county closed two mines ${key}.` });
    await w.ok(wangLi, "thread.translateTitle", { threadId, language: "en", title: `Re-employment of coal miners ${key}` });

    const english = await w.page(sarah, `/threads/${threadId}`, "en");
    expect(english.status).toBe(200);
    expect(english.body).toContain(`Our county closed two mines ${key}.`);
    expect(english.body).toContain(`Translated from 中文 by ${members.wangLi.displayName}`);
    expect(english.body).toContain("Show original");
    expect(english.body).toContain(`Re-employment of coal miners ${key}`);
    // The original travels with the page (the switch needs no reload).
    expect(english.body).toContain(`大多数工人接受了再培训 ${key}`);

    const chinese = await w.page(sarah, `/threads/${threadId}`, "zh");
    expect(chinese.body).toMatch(new RegExp(`<h1[^>]*>煤矿工人的再就业 ${key}</h1>`));
    expect(chinese.body).not.toContain("显示原文");
    expect(chinese.body).toContain("改进英文译文");

    // A reader who chose "always the original" gets the original first in English too.
    await w.ok(sarah, "translationSettings.update", { display: "original", follow: false });
    const original = await w.page(sarah, `/threads/${threadId}`, "en");
    expect(original.body).toContain('data-testid="showing-original"');
    await w.ok(sarah, "translationSettings.update", { display: "both", follow: false });
    const both = await w.page(sarah, `/threads/${threadId}`, "en");
    expect(both.body).toContain('data-testid="reply-both"');
    await w.ok(sarah, "translationSettings.update", { display: "translated", follow: false });
  });

  it("marks a translation as of an earlier version when the original is edited, and tells its translator", async () => {
    const key = word();
    const { threadId, replyId } = await chineseThread(key);
    await w.ok(wangLi, "reply.translate", { replyId, language: "en", body: `First translation ${key}` });
    const edited = await w.ok(liWei, "reply.edit", { replyId, body: `我们县关闭了三座煤矿 ${key}。` });
    expect((edited.translations as { outdated: boolean }[])[0].outdated).toBe(true);
    const notices = await w.db.notification.findMany({ where: { userId: members.wangLi.id, type: "translation_outdated", replyId } });
    expect(notices).toHaveLength(1);
    // A second edit while the notice is unread does not pile up notices.
    await w.ok(liWei, "reply.edit", { replyId, body: `我们县关闭了四座煤矿 ${key}。` });
    expect(await w.db.notification.count({ where: { userId: members.wangLi.id, type: "translation_outdated", replyId } })).toBe(1);

    const english = await w.page(sarah, `/threads/${threadId}`, "en");
    expect(english.body).toContain("translation of an earlier version");
    expect(english.body).toContain(`href="/replies/${replyId}/history"`);

    // Updating the translation makes it current again.
    const fixed = await w.ok(wangLi, "reply.translate", { replyId, language: "en", body: `Our county closed four mines ${key}` });
    expect((fixed.translations as { outdated: boolean }[])[0].outdated).toBe(false);
    // The author editing their own translation's reply does not notify themself.
    await w.ok(liWei, "reply.translate", { replyId, language: "en", body: `Author's own translation ${key}` });
    await w.ok(liWei, "reply.edit", { replyId, body: `我们县关闭了五座煤矿 ${key}。` });
    expect(await w.db.notification.count({ where: { userId: members.liWei.id, type: "translation_outdated" } })).toBe(0);
  });

  it("finds a reply by the words of either version, with the snippet in the reader's language", async () => {
    const key = word();
    const { replyId } = await chineseThread(key);
    await w.ok(wangLi, "reply.translate", { replyId, language: "en", body: `Retraining worked for most miners ${key} here.` });
    const byEnglish = await w.page(sarah, `/search?q=${encodeURIComponent(`retraining ${key}`)}&type=reply`, "en");
    expect(byEnglish.body).toContain(`/threads/`);
    expect(byEnglish.body).toMatch(/<mark>Retraining<\/mark> worked for most miners/);
    // A Chinese reader searching the English words sees the Chinese original as the snippet.
    const zhReader = await w.page(sarah, `/search?q=${encodeURIComponent(`retraining ${key}`)}&type=reply`, "zh");
    expect(zhReader.body).toContain("我们县关闭了两座煤矿");
    // And the Chinese words find it for an English reader, with the English snippet.
    const byChinese = await w.page(sarah, `/search?q=${encodeURIComponent(`再培训 ${key}`)}&type=reply`, "en");
    expect(byChinese.body).toContain("Retraining worked for most miners");
  });

  it("delivers a translation live to pages open on the thread", async () => {
    const key = word();
    const { threadId, replyId } = await chineseThread(key);
    const socket = await connectSocket(w.server.url, { cookie: sarah.cookie });
    sockets.push(socket);
    const events = new AllEvents(socket);
    expect((await joinThread(socket, threadId)).ok).toBe(true);
    await w.ok(wangLi, "reply.translate", { replyId, language: "en", body: `Live translation ${key}` });
    const at = await events.waitFor((event, payload) => event === "reply:updated" && (payload as { reply: { id: string } }).reply.id === replyId);
    const reply = (events.events[at].payload as { reply: { translations: { text: string; translator: { displayName: string } }[]; changeSeq: number } }).reply;
    expect(reply.translations[0].text).toBe(`Live translation ${key}`);
    expect(reply.translations[0].translator.displayName).toBe(members.wangLi.displayName);
    // A page that reconnects catches up from its change number and gets the translation too.
    const late = await connectSocket(w.server.url, { cookie: other.cookie });
    sockets.push(late);
    const ack = await late.timeout(10_000).emitWithAck("thread:join", { threadId, since: reply.changeSeq - 1 });
    expect(ack.ok).toBe(true);
    const caught = ack.ok ? ack.catchUp?.changes ?? [] : [];
    expect(caught.some((c: ThreadChange) => c.kind === "upsert" && c.reply.id === replyId && c.reply.translations[0]?.text === `Live translation ${key}`)).toBe(true);
  });

  it("shows translators under the thread's attribution level: a pseudonym to members, the name to staff", async () => {
    const key = word();
    await w.ok(admin, "dialogue.configure", { dialogueId: w.dialogueId, attributionLevel: "chatham_house" });
    try {
      const { threadId, replyId } = await chineseThread(key);
      const memberSocket = await connectSocket(w.server.url, { cookie: other.cookie });
      const staffSocket = await connectSocket(w.server.url, { cookie: moderator.cookie });
      sockets.push(memberSocket, staffSocket);
      const memberEvents = new AllEvents(memberSocket);
      const staffEvents = new AllEvents(staffSocket);
      await joinThread(memberSocket, threadId);
      await joinThread(staffSocket, threadId);
      await w.ok(wangLi, "reply.translate", { replyId, language: "en", body: `Under the rule ${key}` });
      const isIt = (event: string, payload: unknown) => event === "reply:updated" && (payload as { reply: { id: string } }).reply.id === replyId;
      const m = memberEvents.events[await memberEvents.waitFor(isIt)].payload as { reply: { translations: { translator: Record<string, unknown> }[] } };
      const s = staffEvents.events[await staffEvents.waitFor(isIt)].payload as { reply: { translations: { translator: Record<string, unknown> }[] } };
      expect(m.reply.translations[0].translator).toMatchObject({ id: null, displayName: null, participant: 2 });
      expect(JSON.stringify(m)).not.toContain(members.wangLi.displayName);
      expect(JSON.stringify(m)).not.toContain(members.wangLi.id);
      expect(s.reply.translations[0].translator).toMatchObject({ displayName: members.wangLi.displayName, staffOnly: true, participant: 2 });

      const memberPage = await w.page(sarah, `/threads/${threadId}`, "en");
      expect(memberPage.body).toContain("Translated from 中文 by Participant 2");
      expect(memberPage.body).not.toContain(members.wangLi.displayName);
      const zhPage = await w.page(sarah, `/threads/${threadId}`, "zh");
      expect(zhPage.status).toBe(200);
      const staffPage = await w.page(moderator, `/threads/${threadId}`, "en");
      expect(staffPage.body).toContain(members.wangLi.displayName);
      // The translator's own result names them (they know who they are).
      const own = await w.ok(wangLi, "reply.translate", { replyId, language: "en", body: `Under the rule, improved ${key}` });
      expect((own.translations as { translator: { id: string } }[])[0].translator.id).toBe(members.wangLi.id);
    } finally {
      await w.ok(admin, "dialogue.configure", { dialogueId: w.dialogueId, attributionLevel: "on_record" });
    }
  });

  it("offers no machine translation without TRANSLATE_URL: not on the page, refused by the API", async () => {
    const key = word();
    const { threadId, replyId } = await chineseThread(key);
    const pageHtml = (await w.page(sarah, `/threads/${threadId}`, "en")).body;
    expect(pageHtml).toContain('data-testid="request-translation"');
    expect(pageHtml).not.toContain('data-testid="machine-translate"');
    const refused = await w.run(sarah, "reply.machineTranslate", { replyId });
    expect([refused.code, refused.status]).toEqual(["machine_translation_off", 404]);
    const title = await w.run(sarah, "thread.machineTranslateTitle", { threadId });
    expect(title.code).toBe("machine_translation_off");
    expect(await w.db.replyTranslation.count({ where: { replyId } })).toBe(0);
  });

  it("translates comments on case studies and on notes, shows them in the reader's language, and marks an edited note comment's translation outdated", async () => {
    const key = word();
    // A published case study's comment, written in Chinese by a member.
    const doc = (text: string) => ({ type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text }] }] });
    const study = await w.db.caseStudy.create({
      data: {
        id: `s${key}`.slice(0, 30),
        authorId: members.other.id,
        status: "published",
        publishedAt: new Date(),
        versions: { create: { id: `v${key}`.slice(0, 30), language: "en", title: `Study ${key}`, content: doc(`Body ${key}`), text: `Body ${key}`, authorId: members.other.id } },
      },
    });
    const { signed: commenter } = await w.author();
    await w.ok(commenter, "caseStudyComment.create", { caseStudyId: study.id, body: `这个案例对我们县很有参考价值 ${key}` });
    const comment = await w.db.caseStudyComment.findFirstOrThrow({ where: { caseStudyId: study.id, text: { contains: key } } });
    expect(comment.language).toBe("zh");
    const same = await w.run(wangLi, "caseStudyComment.translate", { commentId: comment.id, language: "zh", body: "同样" });
    expect([same.code, same.status]).toEqual(["translation_original_language", 400]);
    // It waits in the queue until someone translates it.
    const queued = await w.page(wangLi, "/translations", "en");
    expect(queued.body).toContain(`这个案例对我们县很有参考价值 ${key}`);
    expect(queued.body).toContain(`Study ${key}`);
    await w.ok(wangLi, "caseStudyComment.translate", { commentId: comment.id, language: "en", body: `This case is very useful for our county ${key}` });
    expect((await w.page(wangLi, "/translations", "en")).body).not.toContain(`这个案例对我们县很有参考价值 ${key}`);
    const english = await w.page(sarah, `/case-studies/${study.id}`, "en");
    expect(english.body).toContain(`This case is very useful for our county ${key}`);
    expect(english.body).toContain(`Translated from 中文 by ${members.wangLi.displayName}`);
    const chinese = await w.page(sarah, `/case-studies/${study.id}`, "zh");
    expect(chinese.body).toContain(`这个案例对我们县很有参考价值 ${key}`);
    expect(chinese.body).not.toContain('data-testid="comment-translated"');
    // The case study's author is told of the comment, and "Open" leads to the comments.
    const studyAuthor = other;
    const opened = await request(w.server.url, "/notifications", { cookie: studyAuthor.cookie, form: { go: `/case-studies/${study.id}#comments` } });
    expect([opened.status, opened.location]).toEqual([302, `/case-studies/${study.id}#comments`]);
    const refused = await w.run(sarah, "caseStudyComment.untranslate", { commentId: comment.id, language: "en" });
    expect(refused.code).toBe("forbidden");
    await w.ok(commenter, "caseStudyComment.untranslate", { commentId: comment.id, language: "en" });
    expect(await w.db.commentTranslation.count({ where: { caseStudyCommentId: comment.id } })).toBe(0);

    // A comment on a policy note's text: only the note's members may translate it.
    const noteId = `n${key}`.slice(0, 30);
    await w.db.note.create({ data: { id: noteId, title: `Note ${key}`, ownerId: members.liWei.id, language: "zh", members: { create: [{ userId: members.liWei.id, role: "owner" }, { userId: members.wangLi.id, role: "commenter" }] } } });
    const noteCommentId = `c${key}`.slice(0, 30);
    await w.db.noteCommentThread.create({
      data: { id: `t${key}`.slice(0, 30), noteId, authorId: members.liWei.id, anchorStart: new Uint8Array([1, 2, 3, 4]), anchorEnd: new Uint8Array([1, 2, 3, 5]), quote: "引文", comments: { create: { id: noteCommentId, authorId: members.liWei.id, body: `这一段需要补充数据 ${key}`, language: "zh" } } },
    });
    // The note's members see it in the queue; nobody else learns it exists.
    expect((await w.page(wangLi, "/translations", "en")).body).toContain(`这一段需要补充数据 ${key}`);
    expect((await w.page(sarah, "/translations", "en")).body).not.toContain(`这一段需要补充数据 ${key}`);
    const outsider = await w.run(sarah, "noteComment.translate", { commentId: noteCommentId, language: "en", body: "Nope" });
    expect(outsider.code).toBe("not_found");
    await w.ok(wangLi, "noteComment.translate", { commentId: noteCommentId, language: "en", body: `This paragraph needs more data ${key}` });
    const listed = JSON.parse((await w.page(wangLi, `/notes/${noteId}/comments`, "en")).body) as { threads: { comments: { translations: { text: string; outdated: boolean; mine: boolean }[] }[] }[] };
    expect(listed.threads[0].comments[0].translations[0]).toMatchObject({ text: `This paragraph needs more data ${key}`, outdated: false, mine: true });
    await w.ok(liWei, "noteComment.edit", { commentId: noteCommentId, body: `这一段需要补充更多数据 ${key}` });
    const after = JSON.parse((await w.page(wangLi, `/notes/${noteId}/comments`, "en")).body) as typeof listed;
    expect(after.threads[0].comments[0].translations[0].outdated).toBe(true);
    // An outdated translation waits in the queue again, and can be updated there.
    const again = await w.page(wangLi, "/translations", "en");
    expect(again.body).toContain(`这一段需要补充更多数据 ${key}`);
  });

  it("puts a requested reply in the queue once and tells members who follow the queue", async () => {
    const key = word();
    const { replyId } = await chineseThread(key);
    await w.ok(wangLi, "translationSettings.update", { display: "translated", follow: true });
    const requested = await w.ok(sarah, "reply.requestTranslation", { replyId });
    expect(requested.translationRequested).toBe(true);
    await w.ok(other, "reply.requestTranslation", { replyId });
    const notices = await w.db.notification.findMany({ where: { type: "translation_requested", replyId } });
    expect(notices.map((n) => n.userId)).toEqual([members.wangLi.id]);
    // Translating answers the request.
    const done = await w.ok(wangLi, "reply.translate", { replyId, language: "en", body: `Done ${key}` });
    expect(done.translationRequested).toBe(false);
    expect((await w.db.reply.findUniqueOrThrow({ where: { id: replyId } })).translationRequestedAt).toBeNull();
  });
});

/** An in-process LibreTranslate: POST /translate `{ q, source, target, format, api_key }`. */
function fakeLibreTranslate() {
  const calls: Record<string, unknown>[] = [];
  let mode: "ok" | "error" | "slow" | "garbage" | "script" = "ok";
  const server = http.createServer((req, res) => {
    let body = "";
    req.on("data", (chunk) => (body += chunk));
    req.on("end", () => {
      if (req.method !== "POST" || req.url !== "/translate") {
        res.writeHead(404, { "content-type": "application/json" }).end(JSON.stringify({ error: "Not found" }));
        return;
      }
      const input = JSON.parse(body) as Record<string, unknown>;
      calls.push(input);
      const send = (status: number, payload: unknown) => res.writeHead(status, { "content-type": "application/json" }).end(JSON.stringify(payload));
      if (mode === "error") return send(500, { error: "Model crashed" });
      if (mode === "garbage") return res.writeHead(200, { "content-type": "text/html" }).end("<html>oops</html>");
      if (mode === "slow") return setTimeout(() => send(200, { translatedText: "<p>too late</p>" }), 3_000);
      const q = String(input.q);
      if (mode === "script") return send(200, { translatedText: `<p>Machine: ${q.replace(/<[^>]+>/g, "")}</p><script>alert(1)</script><img src=x onerror=alert(2)>` });
      return send(200, { translatedText: input.format === "html" ? `<p>Machine: ${q.replace(/<[^>]+>/g, "")}</p>` : `Machine: ${q}` });
    });
  });
  return {
    calls,
    setMode: (m: typeof mode) => (mode = m),
    listen: () => new Promise<string>((resolve) => server.listen(0, "127.0.0.1", () => resolve(`http://127.0.0.1:${(server.address() as AddressInfo).port}/`))),
    close: () => new Promise<void>((resolve) => { server.closeAllConnections(); server.close(() => resolve()); }),
  };
}

describe("machine translation through a LibreTranslate-compatible service", () => {
  let w: World;
  let liWei: SignedIn, sarah: SignedIn, wangLi: SignedIn, admin: SignedIn;
  const service = fakeLibreTranslate();

  beforeAll(async () => {
    const url = await service.listen();
    w = await world({ TRANSLATE_URL: url, TRANSLATE_API_KEY: "test-key-123", TRANSLATE_TIMEOUT_MS: "800" });
    [liWei, sarah, wangLi, , , admin] = w.signed;
  });
  afterAll(async () => {
    await teardown(w);
    await service.close();
  });

  const thread = async (key: string) => {
    liWei = (await w.author()).signed;
    const created = await w.ok(liWei, "thread.create", { dialogueId: w.dialogueId, title: `山西转型基金支持煤矿工人 ${key}`, body: `山西的转型基金支持了三百名工人 ${key}。` });
    return { threadId: String(created.threadId), replyId: String(created.replyId) };
  };

  it("stores a labelled machine translation, sends the key, keeps only what replies may contain, and gives way to a person's", async () => {
    service.setMode("script");
    const key = word();
    const { threadId, replyId } = await thread(key);
    const page = (await w.page(sarah, `/threads/${threadId}`, "en")).body;
    expect(page).toContain('data-testid="machine-translate"');
    const result = await w.ok(sarah, "reply.machineTranslate", { replyId });
    const call = service.calls.at(-1)!;
    expect(call).toMatchObject({ source: "zh", target: "en", format: "html", api_key: "test-key-123" });
    expect(String(call.q)).toContain(`山西的转型基金支持了三百名工人 ${key}`);
    const translation = (result.translations as { kind: string; html: string; translator: unknown }[])[0];
    expect(translation.kind).toBe("machine");
    expect(translation.translator).toBeNull();
    expect(translation.html).not.toMatch(/<script|onerror|<img/);
    const english = (await w.page(sarah, `/threads/${threadId}`, "en")).body;
    expect(english).toContain("Machine translation from 中文");
    const chinese = (await w.page(sarah, `/threads/${threadId}`, "zh")).body;
    expect(chinese).toContain("机器翻译");

    // A person's translation replaces it; a machine one never replaces a person's.
    service.setMode("ok");
    await w.ok(wangLi, "reply.translate", { replyId, language: "en", body: `The transition fund supported 300 workers ${key}.` });
    const refused = await w.run(sarah, "reply.machineTranslate", { replyId });
    expect([refused.code, refused.status]).toEqual(["translation_human_exists", 409]);
    expect((await w.db.replyTranslation.findUniqueOrThrow({ where: { replyId_language: { replyId, language: "en" } } })).kind).toBe("human");

    // Titles too.
    const titled = await w.ok(sarah, "thread.machineTranslateTitle", { threadId });
    expect(titled, JSON.stringify(await w.db.threadTitleTranslation.findMany({ where: { threadId } }))).toMatchObject({ language: "en" });
    expect(await w.db.threadTitleTranslation.findUniqueOrThrow({ where: { threadId_language: { threadId, language: "en" } } })).toMatchObject({ kind: "machine", title: `Machine: 山西转型基金支持煤矿工人 ${key}` });
  });

  it("says clearly when the service fails, answers late or answers nonsense, and stores nothing", async () => {
    const key = word();
    const { replyId } = await thread(key);
    const zh = await languageCookie(w.server.url, "zh");
    for (const [mode, code, status] of [["error", "machine_translation_failed", 502], ["garbage", "machine_translation_failed", 502], ["slow", "machine_translation_timeout", 504]] as const) {
      service.setMode(mode);
      const outcome = await w.run(sarah, "reply.machineTranslate", { replyId });
      expect([outcome.code, outcome.status], mode).toEqual([code, status]);
      const localised = await apiCommand(w.server.url, "reply.machineTranslate", { replyId }, { cookie: sarah.cookie, lngCookie: zh });
      expect(localised.message, mode).toMatch(/翻译服务/);
    }
    expect(await w.db.replyTranslation.count({ where: { replyId } })).toBe(0);
    // The server is still up and well.
    service.setMode("ok");
    await w.ok(sarah, "reply.machineTranslate", { replyId });
    expect(await w.db.replyTranslation.count({ where: { replyId } })).toBe(1);
  });

  it("is never offered under the Chatham House Rule unless an admin allows it for the dialogue", async () => {
    service.setMode("ok");
    await w.ok(admin, "dialogue.configure", { dialogueId: w.dialogueId, attributionLevel: "chatham_house" });
    try {
      const key = word();
      const { threadId, replyId } = await thread(key);
      expect((await w.page(sarah, `/threads/${threadId}`, "en")).body).not.toContain('data-testid="machine-translate"');
      const before = service.calls.length;
      const refused = await w.run(sarah, "reply.machineTranslate", { replyId });
      expect([refused.code, refused.status]).toEqual(["machine_translation_not_allowed", 403]);
      expect(service.calls.length).toBe(before);
      await w.ok(admin, "dialogue.configure", { dialogueId: w.dialogueId, attributionLevel: "chatham_house", allowMachineTranslation: true });
      expect((await w.page(sarah, `/threads/${threadId}`, "en")).body).toContain('data-testid="machine-translate"');
      await w.ok(sarah, "reply.machineTranslate", { replyId });
    } finally {
      await w.ok(admin, "dialogue.configure", { dialogueId: w.dialogueId, attributionLevel: "on_record" });
    }
  });
});
