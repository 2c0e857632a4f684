/**
 * Issue 15, the translation queue at /translations: replies and thread titles with no translation
 * into the other language, and translations an edit has left behind; requested ones first;
 * filtered by dialogue and by region (an anonymous speaker's region is never used); only what the
 * reader may read; Chatham House speakers as their pseudonym. Bilingual members see a count in
 * the header. Also: the Translations section of /settings, requests reaching the members who
 * follow the queue, and the two translation notices on /notifications in English and Chinese.
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { apiCommand } from "../helpers/commands";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { uniqueSuffix } from "../helpers/env";
import { createMember, openPrisma, type TestMember } from "../helpers/factories";
import { get, languageCookie, pageText, postForm } from "../helpers/http";
import { startServer, type RunningServer } from "../helpers/server";
import { newId } from "~/utils/ids.server";

/** The queue's items on a page, in order: kind, id and their marks. */
function queueItems(html: string): { kind: string; id: string; outdated: boolean; requested: boolean; html: string }[] {
  const openings = [...html.matchAll(/<li[^>]*data-testid="queue-item"[^>]*>/g)];
  return openings.map((opening, i) => {
    const tag = opening[0];
    return {
      kind: /data-kind="([^"]+)"/.exec(tag)![1],
      id: /data-item-id="([^"]+)"/.exec(tag)![1],
      outdated: /data-outdated=""/.test(tag),
      requested: /data-requested=""/.test(tag),
      html: html.slice(opening.index!, openings[i + 1]?.index ?? html.indexOf("</ol>", opening.index!)),
    };
  });
}

describe("the translation queue", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let author: TestMember;
  let translator: TestMember;
  let monolingual: TestMember;
  let participant: TestMember;
  let follower: TestMember;
  let bystander: TestMember;
  let authorIn: SignedIn;
  let translatorIn: SignedIn;
  let monolingualIn: SignedIn;
  let participantIn: SignedIn;
  let followerIn: SignedIn;
  let bystanderIn: SignedIn;
  /** Dialogues made for this file: on the record in Shanxi, Chatham House in Shaanxi, off the record in Shanxi. */
  const slugs = { open: `tq-open-${uniqueSuffix()}`, chatham: `tq-chatham-${uniqueSuffix()}`, off: `tq-off-${uniqueSuffix()}` };
  const ids = { open: "", chatham: "", off: "" };
  let openThread: { threadId: string; replyId: string };
  let chathamThread: { threadId: string; replyId: string };
  let offThread: { threadId: string; replyId: string };
  let networkThread: { threadId: string; replyId: string };
  let chineseReplyId: string;

  const command = async (who: SignedIn, name: string, input: Record<string, unknown>) => {
    const outcome = await apiCommand(server.url, name, input, { cookie: who.cookie });
    expect(outcome.code, `${name}: ${JSON.stringify(outcome).slice(0, 300)}`).toBe("ok");
    return outcome.result as Record<string, unknown>;
  };
  const newThread = async (who: SignedIn, dialogueId: string | null, title: string, body: string) => {
    const created = await command(who, "thread.create", { dialogueId, title, body });
    return { threadId: String(created.threadId), replyId: String(created.replyId) };
  };
  const queue = async (who: SignedIn, query = "", lng?: string) => {
    const response = await get(server.url, `/translations${query}`, { cookie: [who.cookie, lng].filter(Boolean).join("; ") });
    expect(response.status).toBe(200);
    return { html: response.body, items: queueItems(response.body) };
  };
  const has = (items: { id: string }[], id: string) => items.some((item) => item.id === id);

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    [author, translator, monolingual, participant, follower, bystander] = await Promise.all([
      createMember(db, { displayName: `Author ${uniqueSuffix()}`, region: "inner-mongolia" }),
      createMember(db, { displayName: `Translator ${uniqueSuffix()}`, region: "wyoming" }),
      createMember(db, { displayName: `Monolingual ${uniqueSuffix()}` }),
      createMember(db, { displayName: `Participant ${uniqueSuffix()}` }),
      createMember(db, { displayName: `Follower ${uniqueSuffix()}` }),
      createMember(db, { displayName: `Bystander ${uniqueSuffix()}` }),
    ]);
    await db.user.update({ where: { id: translator.id }, data: { languages: ["en", "zh"] } });
    await db.user.update({ where: { id: monolingual.id }, data: { languages: ["en"] } });
    const series = await db.series.findFirstOrThrow({ select: { id: true } });
    const regions = new Map((await db.region.findMany()).map((r) => [r.slug, r.id]));
    const dialogue = async (slug: string, level: "on_record" | "chatham_house" | "off_the_record", region: string) => {
      const id = newId();
      await db.dialogue.create({
        data: { id, slug, seriesId: series.id, titleEn: `Queue dialogue ${slug}`, titleZh: `队列对话 ${slug}`, status: "scheduled", attributionLevel: level, regions: { create: [{ regionId: regions.get(region)! }] } },
      });
      return id;
    };
    ids.open = await dialogue(slugs.open, "on_record", "shanxi");
    ids.chatham = await dialogue(slugs.chatham, "chatham_house", "shaanxi");
    ids.off = await dialogue(slugs.off, "off_the_record", "shanxi");
    await db.participationRequest.create({
      data: { id: newId(), dialogueId: ids.off, userId: participant.id, name: participant.displayName, email: participant.email, status: "approved" },
    });
    [authorIn, translatorIn, monolingualIn, participantIn, followerIn, bystanderIn] = await Promise.all(
      [author, translator, monolingual, participant, follower, bystander].map((m) => signIn(server.url, m.email, m.password)),
    );
    openThread = await newThread(authorIn, ids.open, `Mine water reuse ${uniqueSuffix()}`, "We reuse mine water for the district heating plant.");
    chineseReplyId = String((await command(authorIn, "reply.create", { threadId: openThread.threadId, body: "我们把矿井水用于区域供热厂，效果很好。" })).id);
    chathamThread = await newThread(authorIn, ids.chatham, `Budgets under pressure ${uniqueSuffix()}`, "Our county budget still depends on coal severance taxes.");
    networkThread = await newThread(authorIn, null, `Retraining miners ${uniqueSuffix()}`, "Retraining works when the new jobs are nearby.");
    offThread = await newThread(participantIn, ids.off, `Quiet words ${uniqueSuffix()}`, "What we say here stays in this room.");
  });

  afterAll(async () => {
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it("lists an untranslated reply and title, in the right direction, and drops each once translated", async () => {
    const before = await queue(translatorIn, `?dialogue=${slugs.open}`);
    expect(before.items.map((i) => i.id).sort()).toEqual([openThread.threadId, openThread.replyId, chineseReplyId].sort());
    const chinese = before.items.find((i) => i.id === chineseReplyId)!;
    expect(pageText(chinese.html)).toContain("中文 → English");
    expect(pageText(before.items.find((i) => i.id === openThread.replyId)!.html)).toContain("English → 中文");
    expect(before.items.find((i) => i.kind === "title")!.id).toBe(openThread.threadId);

    // Translated where it is, through the page's own form (no JavaScript).
    const saved = await postForm(server.url, `/translations?dialogue=${slugs.open}`, { intent: "reply.translate", itemId: openThread.replyId, language: "zh", body: "我们把矿井水用于区域供热厂。" }, { cookie: translatorIn.cookie });
    expect(saved.status).toBe(302);
    expect(saved.location).toBe(`/translations?dialogue=${slugs.open}&translated=${openThread.replyId}`);
    const title = await postForm(server.url, `/translations?dialogue=${slugs.open}`, { intent: "thread.translateTitle", itemId: openThread.threadId, language: "zh", title: "矿井水再利用" }, { cookie: translatorIn.cookie });
    expect(title.status).toBe(302);
    const after = await queue(translatorIn, `?dialogue=${slugs.open}&translated=${openThread.threadId}`);
    expect(after.items.map((i) => i.id)).toEqual([chineseReplyId]);
    expect(after.html).toContain('data-testid="translation-saved"');

    // A refused translation says why under its own form and keeps nothing.
    const empty = await postForm(server.url, "/translations", { intent: "thread.translateTitle", itemId: networkThread.threadId, language: "zh", title: " " }, { cookie: translatorIn.cookie });
    expect(empty.status).toBe(400);
  });

  it("lists a translation again, as of an earlier version, once its original is edited", async () => {
    await command(authorIn, "reply.edit", { replyId: openThread.replyId, body: "We reuse mine water for the district heating plant and the greenhouse." });
    const { items } = await queue(translatorIn, `?dialogue=${slugs.open}`);
    const outdated = items.find((i) => i.id === openThread.replyId);
    expect(outdated?.outdated).toBe(true);
    expect(outdated!.html).toContain(`/replies/${openThread.replyId}/history`);
    // The old translation is there to start from.
    expect(outdated!.html).toContain("我们把矿井水用于区域供热厂。");
    // A changed title leaves its translation behind too.
    await db.thread.update({ where: { id: openThread.threadId }, data: { titleEn: `Mine water reuse, revised ${uniqueSuffix()}` } });
    expect((await queue(translatorIn, `?dialogue=${slugs.open}`)).items.find((i) => i.id === openThread.threadId)?.outdated).toBe(true);
  });

  it("puts a requested translation first", async () => {
    const before = await queue(monolingualIn);
    expect(before.items[0]?.id).not.toBe(networkThread.replyId);
    await command(monolingualIn, "reply.requestTranslation", { replyId: networkThread.replyId });
    const after = await queue(monolingualIn);
    expect(after.items[0]).toMatchObject({ id: networkThread.replyId, requested: true });
    expect(pageText(after.items[0]!.html)).toContain("Translation requested");
  });

  it("filters by dialogue, and by region through the author only where the author may be known", async () => {
    const chatham = await queue(translatorIn, `?dialogue=${slugs.chatham}`);
    expect(chatham.items.map((i) => i.id).sort()).toEqual([chathamThread.threadId, chathamThread.replyId].sort());

    // The author is from Inner Mongolia: their on-the-record items match it, wherever they are…
    const mongolia = (await queue(translatorIn, "?region=inner-mongolia")).items;
    expect(has(mongolia, networkThread.replyId)).toBe(true);
    expect(has(mongolia, chineseReplyId)).toBe(true);
    // …but not under the Chatham House Rule, which would tell where an anonymous speaker is from.
    expect(has(mongolia, chathamThread.replyId)).toBe(false);
    expect(has(mongolia, chathamThread.threadId)).toBe(false);
    // Those match their dialogue's region instead.
    const shaanxi = (await queue(translatorIn, "?region=shaanxi")).items;
    expect(has(shaanxi, chathamThread.replyId)).toBe(true);
    expect(has(shaanxi, networkThread.replyId)).toBe(false);
    // The Shanxi dialogue's items match Shanxi through the dialogue.
    expect(has((await queue(translatorIn, "?region=shanxi")).items, chineseReplyId)).toBe(true);
    expect((await queue(translatorIn, "?region=no-such-region")).items).toEqual([]);
  });

  it("never lists an off-the-record thread to a member who is not its dialogue's participant", async () => {
    for (const query of ["", `?dialogue=${slugs.off}`, "?region=shanxi"]) {
      const { items, html } = await queue(translatorIn, query);
      expect(has(items, offThread.replyId)).toBe(false);
      expect(has(items, offThread.threadId)).toBe(false);
      expect(html).not.toContain("What we say here stays in this room.");
    }
    const theirs = (await queue(participantIn, `?dialogue=${slugs.off}`)).items;
    expect(theirs.map((i) => i.id).sort()).toEqual([offThread.threadId, offThread.replyId].sort());
  });

  it("shows a Chatham House speaker as their pseudonym, never their name", async () => {
    const en = await queue(translatorIn, `?dialogue=${slugs.chatham}`);
    expect(en.items.length).toBe(2);
    for (const item of en.items) expect(pageText(item.html)).toContain("Participant 1");
    expect(en.html).not.toContain(author.displayName);
    expect(en.html).not.toContain(author.id);
    const zh = await queue(translatorIn, `?dialogue=${slugs.chatham}`, await languageCookie(server.url, "zh"));
    expect(pageText(zh.html)).toContain("参与者 1");
    expect(zh.html).not.toContain(author.displayName);
    // The author sees their own name.
    expect((await queue(authorIn, `?dialogue=${slugs.chatham}`)).html).toContain(author.displayName);
  });

  it("shows members who read both languages a count beside Translations, and others the link alone", async () => {
    const bilingual = (await get(server.url, "/network", { cookie: translatorIn.cookie })).body;
    expect(bilingual).toContain('data-testid="nav-translations"');
    const count = /data-testid="translation-count"[^>]*>([^<]+)</.exec(bilingual)?.[1];
    expect(count).toBeDefined();
    expect(Number(count!.replace("+", ""))).toBeGreaterThan(0);
    const other = (await get(server.url, "/network", { cookie: monolingualIn.cookie })).body;
    expect(other).toContain('data-testid="nav-translations"');
    expect(other).not.toContain('data-testid="translation-count"');
    // Over 99 it says "99+".
    await db.user.update({ where: { id: monolingual.id }, data: { languages: ["zh", "en", "fr"] } });
    const waiting = Number(count!.replace("+", ""));
    const shown = /data-testid="translation-count"[^>]*>([^<]+)</.exec((await get(server.url, "/network", { cookie: monolingualIn.cookie })).body)?.[1];
    expect(shown).toBe(waiting > 99 ? "99+" : String(waiting));
  });

  it("saves the translation settings from /settings and confirms in the member's language", async () => {
    const saved = await postForm(server.url, "/settings", { intent: "translationSettings.update", display: "both", follow: "on" }, { cookie: followerIn.cookie });
    expect(saved.status).toBe(302);
    expect(saved.location).toBe("/settings?saved=translations#translations");
    expect(await db.user.findUniqueOrThrow({ where: { id: follower.id }, select: { translationDisplay: true, followsTranslations: true } })).toEqual({ translationDisplay: "both", followsTranslations: true });
    const page = (await get(server.url, "/settings?saved=translations", { cookie: followerIn.cookie })).body;
    expect(page).toContain("Translation settings saved.");
    const radios = [...page.matchAll(/<input[^>]*name="display"[^>]*>/g)].map((m) => m[0]);
    expect(radios.filter((tag) => / checked/.test(tag)), radios.join("\n")).toEqual([expect.stringContaining('value="both"')]);
    const zh = (await get(server.url, "/settings?saved=translations", { cookie: `${followerIn.cookie}; ${await languageCookie(server.url, "zh")}` })).body;
    expect(zh).toContain("翻译设置已保存。");
    const refused = await postForm(server.url, "/settings", { intent: "translationSettings.update", display: "sideways" }, { cookie: bystanderIn.cookie });
    expect(refused.status).toBe(400);
  });

  it("tells members who follow the queue of a request, and nobody else", async () => {
    await command(monolingualIn, "reply.requestTranslation", { replyId: chathamThread.replyId });
    const notices = await db.notification.findMany({ where: { type: "translation_requested", replyId: chathamThread.replyId }, select: { userId: true } });
    expect(notices.map((n) => n.userId)).toEqual([follower.id]);
    await command(monolingualIn, "thread.requestTitleTranslation", { threadId: networkThread.threadId });
  });

  it("renders both translation notices in English and Chinese, leading to what is to be done", async () => {
    const zh = await languageCookie(server.url, "zh");
    // The translator of the edited reply was told.
    const en = (await get(server.url, "/notifications", { cookie: translatorIn.cookie })).body;
    const outdated = /<li[^>]*data-type="translation_outdated"[\s\S]*?<\/li>/.exec(en)?.[0] ?? "";
    expect(pageText(outdated)).toContain(`${author.displayName} edited a reply you translated — your translation is now of an earlier version`);
    expect(outdated).toContain(`value="/replies/${openThread.replyId}/history"`);
    expect(pageText((await get(server.url, "/notifications", { cookie: `${translatorIn.cookie}; ${zh}` })).body)).toContain(`${author.displayName} 修改了您翻译过的回复——您的译文现在对应的是较早的版本`);
    const go = await postForm(server.url, "/notifications", { go: `/replies/${openThread.replyId}/history` }, { cookie: translatorIn.cookie });
    expect(go.location).toBe(`/replies/${openThread.replyId}/history`);

    // The follower: a request in a Chatham House thread names nobody, and one for a title.
    const followerEn = pageText((await get(server.url, "/notifications", { cookie: followerIn.cookie })).body);
    expect(followerEn).toContain("A participant asked for a translation of a reply into 中文");
    expect(followerEn).toContain(`${monolingual.displayName} asked for a translation of a thread title into 中文`);
    expect(followerEn).not.toContain(`${monolingual.displayName} asked for a translation of a reply`);
    const followerZh = pageText((await get(server.url, "/notifications", { cookie: `${followerIn.cookie}; ${zh}` })).body);
    expect(followerZh).toContain("一位参与者 请求将一条回复译成中文");
    expect(followerZh).toContain(`${monolingual.displayName} 请求将一个讨论标题译成中文`);
    const toQueue = await postForm(server.url, "/notifications", { go: "/translations" }, { cookie: followerIn.cookie });
    expect(toQueue.location).toBe("/translations");
  });
});
