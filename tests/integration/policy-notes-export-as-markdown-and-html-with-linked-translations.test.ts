/**
 * Exporting policy notes (issue #5 item 9): an English and a Chinese note are written through a
 * real socket (the app's NoteProvider around a Y.Doc), linked as translations of each other, and
 * exported over HTTP as Markdown and HTML: alone, side by side (sections aligned), or `?single=1`;
 * with RFC 6266 file names; for readers only. Linking rules: owner only, other language only,
 * one partner each, re-linking replaces.
 */
import type { PrismaClient } from "@prisma/client";
import { getSchema, type JSONContent } from "@tiptap/core";
import StarterKit from "@tiptap/starter-kit";
import { prosemirrorJSONToYXmlFragment } from "@tiptap/y-tiptap";
import * as Y from "yjs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { NoteProvider } from "~/realtime/note-provider";
import { signIn, type SignedIn } from "../helpers/auth";
import { command, ok } from "../helpers/case-studies";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createMember, openPrisma, type TestMember } from "../helpers/factories";
import { get, pageText, postForm, type HttpResponse } from "../helpers/http";
import { startServer, type RunningServer } from "../helpers/server";
import { connectSocket } from "../helpers/sockets";

const schema = getSchema([StarterKit.configure({ undoRedo: false })]);

type Mark = { type: string; attrs?: Record<string, unknown> };
const text = (value: string, ...marks: Mark[]): JSONContent => ({ type: "text", text: value, ...(marks.length ? { marks } : {}) });
const p = (...content: JSONContent[]): JSONContent => ({ type: "paragraph", content });
const h = (level: number, value: string): JSONContent => ({ type: "heading", attrs: { level }, content: [text(value)] });
const li = (...content: JSONContent[]): JSONContent => ({ type: "listItem", content });
const bold = { type: "bold" };
const link = (href: string) => ({ type: "link", attrs: { href } });

const ENGLISH: JSONContent = {
  type: "doc",
  content: [
    h(1, "Just transition plan"),
    p(text("Funding comes from "), text("state", bold), text(" and "), text("federal grants", link("https://example.org/grants")), text(".")),
    h(2, "Workforce"),
    {
      type: "bulletList",
      content: [
        li(p(text("Retrain miners")), { type: "bulletList", content: [li(p(text("Welding")))] }),
        li(p(text("Keep "), text("pensions", { type: "italic" }))),
      ],
    },
    { type: "blockquote", content: [p(text("No one left behind."))] },
    h(2, "Land"),
    { type: "orderedList", attrs: { start: 1 }, content: [li(p(text("Reclaim mine sites"))), li(p(text("Solar on reclaimed land")))] },
    p(text("old plan", { type: "strike" }), text(" see "), text("RFC-12", { type: "code" }), { type: "hardBreak" }, text("next line")),
    { type: "horizontalRule" },
    { type: "codeBlock", attrs: { language: "sql" }, content: [text("SELECT 1;")] },
  ],
};

const CHINESE: JSONContent = {
  type: "doc",
  content: [
    h(1, "煤炭地区公正转型"),
    p(text("资金来自"), text("州政府", bold), text("和"), text("联邦拨款", link("https://example.org/zh")), text("。")),
    h(2, "劳动力"),
    { type: "bulletList", content: [li(p(text("再培训矿工"))), li(p(text("保留养老金")))] },
    h(2, "土地"),
    p(text("复垦矿区。")),
  ],
};

/** The side-by-side rows of an HTML export: section number → [English cell, Chinese cell]. */
function htmlRows(html: string): { section: number; en: string; zh: string }[] {
  const rows = [...html.matchAll(/<div class="row" data-section="(\d+)"><section class="col col-en" lang="en" data-section="\1">([\s\S]*?)<\/section><section class="col col-zh" lang="zh-CN" data-section="\1">([\s\S]*?)<\/section><\/div>/g)];
  return rows.map((m) => ({ section: Number(m[1]), en: m[2]!, zh: m[3]! }));
}

/** The file name from `filename*=UTF-8''…` (RFC 6266 / RFC 8187). */
function utf8Filename(response: HttpResponse): string | null {
  const match = /filename\*=UTF-8''([^;\s]+)/.exec(response.headers.get("content-disposition") ?? "");
  return match ? decodeURIComponent(match[1]!) : null;
}

describe("policy note export", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let people: TestMember[];
  let owner: SignedIn, viewer: SignedIn, outsider: SignedIn, otherOwner: SignedIn;
  let en: string, zh: string;

  /** Replaces the note's body through a real socket, as an editor's browser would, and waits until it is stored. */
  async function write(who: SignedIn, noteId: string, content: JSONContent) {
    const socket = await connectSocket(server.url, { cookie: who.cookie });
    const doc = new Y.Doc();
    const provider = new NoteProvider(socket, noteId, doc);
    try {
      await provider.whenSynced();
      prosemirrorJSONToYXmlFragment(schema, content, doc.getXmlFragment("default"));
      await provider.whenSaved();
    } finally {
      provider.destroy();
      socket.close();
      doc.destroy();
    }
  }

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    people = await Promise.all([0, 1, 2, 3].map(() => createMember(db)));
    [owner, viewer, outsider, otherOwner] = await Promise.all(people.map((x) => signIn(server.url, x.email, x.password)));

    // English through the no-JS form, Chinese through the API.
    const created = await postForm(server.url, "/notes/new", { title: "Just transition plan", language: "en" }, { cookie: owner.cookie });
    expect(created.status).toBe(302);
    en = created.location!.split("/").pop()!;
    ({ noteId: zh } = await ok<{ noteId: string }>(server.url, "note.create", { title: "煤炭地区公正转型", language: "zh" }, owner.cookie));
    expect((await db.note.findUniqueOrThrow({ where: { id: zh } })).language).toBe("zh");
    await Promise.all([write(owner, en, ENGLISH), write(owner, zh, CHINESE)]);
  });

  afterAll(async () => {
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it("exports an unlinked note alone, as Markdown with each construct converted", async () => {
    const md = await get(server.url, `/notes/${en}/export.md`, { cookie: owner.cookie });
    expect(md.status).toBe(200);
    expect(md.headers.get("content-type")).toBe("text/markdown; charset=utf-8");
    expect(md.headers.get("content-disposition")).toBe(`attachment; filename="just-transition-plan.md"; filename*=UTF-8''just-transition-plan.md`);
    expect(md.body).toBe(
      [
        "# Just transition plan",
        "",
        "Funding comes from **state** and [federal grants](https://example.org/grants).",
        "",
        "## Workforce",
        "",
        "- Retrain miners",
        "  - Welding",
        "- Keep *pensions*",
        "",
        "> No one left behind.",
        "",
        "## Land",
        "",
        "1. Reclaim mine sites",
        "2. Solar on reclaimed land",
        "",
        "~~old plan~~ see `RFC-12`\\",
        "next line",
        "",
        "---",
        "",
        "```sql",
        "SELECT 1;",
        "```",
        "",
      ].join("\n"),
    );
    expect(md.body).not.toContain("煤炭");

    const html = await get(server.url, `/notes/${en}/export.html`, { cookie: owner.cookie });
    expect(html.status).toBe(200);
    expect(html.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(html.body).toMatch(/^<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">/);
    expect(html.body).toContain("<title>Just transition plan</title>");
    expect(html.body).toContain('<main class="single"');
    expect(html.body).toContain("<p>Funding comes from <strong>state</strong> and <a");
    expect(html.body).toContain('href="https://example.org/grants">federal grants</a>');
    expect(html.body).toContain("<ul><li><p>Retrain miners</p><ul><li><p>Welding</p></li></ul></li>");
    expect(html.body).not.toContain("<script");
  });

  it("links the two versions (owner only, other language, at most one partner) and shows the link", async () => {
    const viewerId = people[1]!.id;
    await ok(server.url, "noteMember.add", { noteId: en, member: viewerId, role: "viewer" }, owner.cookie);
    await ok(server.url, "noteMember.add", { noteId: zh, member: viewerId, role: "viewer" }, owner.cookie);

    // Same language, self, non-owner, non-member, unknown field.
    const { noteId: en2 } = await ok<{ noteId: string }>(server.url, "note.create", { title: "Second English note", language: "en" }, owner.cookie);
    const same = await command(server.url, "note.linkTranslation", { noteId: en, otherNoteId: en2 }, owner.cookie);
    expect(same.status).toBe(400);
    expect(same.error?.code).toBe("translation_same_language");
    expect((await command(server.url, "note.linkTranslation", { noteId: en, otherNoteId: en }, owner.cookie)).error?.code).toBe("translation_self");
    expect((await command(server.url, "note.linkTranslation", { noteId: en, otherNoteId: zh }, viewer.cookie)).status).toBe(403);
    expect((await command(server.url, "note.linkTranslation", { noteId: en, otherNoteId: zh }, outsider.cookie)).status).toBe(404);
    expect((await command(server.url, "note.linkTranslation", { noteId: en }, owner.cookie)).status).toBe(400);
    // The other note must be readable by the actor.
    const { noteId: hidden } = await ok<{ noteId: string }>(server.url, "note.create", { title: "别人的笔记", language: "zh" }, otherOwner.cookie);
    expect((await command(server.url, "note.linkTranslation", { noteId: en, otherNoteId: hidden }, owner.cookie)).status).toBe(404);
    expect(await db.note.count({ where: { translationId: { not: null } } })).toBe(0);

    // Through the note page's no-JS form.
    const linked = await postForm(server.url, `/notes/${en}`, { intent: "note.linkTranslation", otherNoteId: zh }, { cookie: owner.cookie });
    expect(linked.status).toBe(302);
    expect((await db.note.findUniqueOrThrow({ where: { id: en } })).translationId).toBe(zh);
    expect((await db.note.findUniqueOrThrow({ where: { id: zh } })).translationId).toBe(en);
    const refused = await postForm(server.url, `/notes/${en}`, { intent: "note.linkTranslation", otherNoteId: en2 }, { cookie: owner.cookie });
    expect(refused.status).toBe(400);
    expect(pageText(refused.body)).toContain("A linked translation must be in the other language.");

    expect(pageText((await get(server.url, `/notes/${en}`, { cookie: viewer.cookie })).body)).toMatch(/中文版本\s*:\s*煤炭地区公正转型/);
    // The owner's page: export links, and the add-member field is a plain text field named "member" until scripts run.
    const ownerPage = (await get(server.url, `/notes/${en}`, { cookie: owner.cookie })).body;
    expect(ownerPage).toContain(`href="/notes/${en}/export.html"`);
    expect(ownerPage).toContain(`href="/notes/${en}/export.md?single=1"`);
    expect(ownerPage).toMatch(/<input(?=[^>]*\sname="member")(?=[^>]*\srequired)(?![^>]*\srole=)[^>]*>/);
    expect(ownerPage).not.toContain('role="combobox"');
    await db.user.update({ where: { id: people[1]!.id }, data: { locale: "zh" } });
    const zhPage = pageText((await get(server.url, `/notes/${zh}`, { cookie: viewer.cookie })).body);
    expect(zhPage).toMatch(/English version\s*:\s*Just transition plan/);
    expect(zhPage).toContain("导出");
    await db.user.update({ where: { id: people[1]!.id }, data: { locale: "en" } });
    expect(pageText((await get(server.url, `/notes/${zh}`, { cookie: viewer.cookie })).body)).toMatch(/English version\s*:\s*Just transition plan/);
    expect(pageText((await get(server.url, "/notes", { cookie: viewer.cookie })).body)).toMatch(/Just transition plan[\s\S]*中文版本\s*:\s*煤炭地区公正转型/);
  });

  it("exports a linked pair side by side: HTML columns English left, 中文 right, aligned by section", async () => {
    const response = await get(server.url, `/notes/${zh}/export.html`, { cookie: viewer.cookie });
    expect(response.status).toBe(200);
    expect(response.headers.get("content-disposition")).toBe(
      `attachment; filename="note.html"; filename*=UTF-8''${encodeURIComponent("煤炭地区公正转型")}.html`,
    );
    expect(utf8Filename(response)).toBe("煤炭地区公正转型.html");
    const html = response.body;
    expect(html).toMatch(/^<!DOCTYPE html>\n<html lang="zh-CN">/);
    expect(html).toContain("<title>Just transition plan / 煤炭地区公正转型</title>");
    const rows = htmlRows(html);
    expect(rows.map((r) => r.section)).toEqual([1, 2, 3]);
    expect(rows[0]!.en).toMatch(/^<h1>Just transition plan<\/h1><p>Funding comes from <strong>state<\/strong>/);
    expect(rows[0]!.zh).toMatch(/^<h1>煤炭地区公正转型<\/h1><p>资金来自<strong>州政府<\/strong>和<a [^>]*href="https:\/\/example.org\/zh">联邦拨款<\/a>。<\/p>$/);
    expect(rows[1]!.en).toMatch(/^<h2>Workforce<\/h2><ul>/);
    expect(rows[1]!.zh).toBe("<h2>劳动力</h2><ul><li><p>再培训矿工</p></li><li><p>保留养老金</p></li></ul>");
    expect(rows[2]!.en).toMatch(/^<h2>Land<\/h2><ol>/);
    expect(rows[2]!.zh).toBe("<h2>土地</h2><p>复垦矿区。</p>");

    const md = await get(server.url, `/notes/${en}/export.md`, { cookie: viewer.cookie });
    expect(md.status).toBe(200);
    const order = [
      "<!-- section 1 · English -->",
      "# Just transition plan",
      "<!-- section 1 · 中文 -->",
      "# 煤炭地区公正转型",
      "资金来自**州政府**和[联邦拨款](https://example.org/zh)。",
      "<!-- section 2 · English -->",
      "## Workforce\n\n- Retrain miners\n  - Welding",
      "<!-- section 2 · 中文 -->",
      "## 劳动力\n\n- 再培训矿工\n- 保留养老金",
      "<!-- section 3 · English -->",
      "## Land\n\n1. Reclaim mine sites\n2. Solar on reclaimed land",
      "<!-- section 3 · 中文 -->",
      "## 土地\n\n复垦矿区。",
    ];
    const positions = order.map((piece) => md.body.indexOf(piece));
    expect(positions.every((at) => at >= 0)).toBe(true);
    expect([...positions].sort((a, b) => a - b)).toEqual(positions);

    // ?single=1 exports only the note asked for.
    const single = await get(server.url, `/notes/${zh}/export.md?single=1`, { cookie: viewer.cookie });
    expect(single.status).toBe(200);
    expect(single.body).toBe("# 煤炭地区公正转型\n\n资金来自**州政府**和[联邦拨款](https://example.org/zh)。\n\n## 劳动力\n\n- 再培训矿工\n- 保留养老金\n\n## 土地\n\n复垦矿区。\n");
    expect(utf8Filename(single)).toBe("煤炭地区公正转型.md");
    const singleHtml = await get(server.url, `/notes/${en}/export.html?single=1`, { cookie: viewer.cookie });
    expect(singleHtml.body).toContain('<main class="single"');
    expect(singleHtml.body).not.toContain("煤炭");
    expect((await get(server.url, `/notes/${en}/export.md?single=perhaps`, { cookie: viewer.cookie })).status).toBe(400);
  });

  it("lets readers export, hides the note from others and leaves out a translation the reader cannot see", async () => {
    expect((await get(server.url, `/notes/${en}/export.md`, { cookie: outsider.cookie })).status).toBe(404);
    expect((await get(server.url, `/notes/${zh}/export.html`, { cookie: outsider.cookie })).status).toBe(404);
    expect((await get(server.url, `/notes/no-such-note/export.html`, { cookie: owner.cookie })).status).toBe(404);
    const signedOut = await get(server.url, `/notes/${en}/export.md`);
    expect(signedOut.status).toBe(302);
    expect(signedOut.location).toMatch(/^\/signin\?redirectTo=/);

    // A member of the English note only gets the English note, even though a translation is linked.
    await ok(server.url, "noteMember.add", { noteId: en, member: people[2]!.id, role: "commenter" }, owner.cookie);
    const own = await get(server.url, `/notes/${en}/export.md`, { cookie: outsider.cookie });
    expect(own.status).toBe(200);
    expect(own.body).not.toContain("煤炭");
    expect(own.body).not.toContain("<!-- section");
    expect(pageText((await get(server.url, `/notes/${en}`, { cookie: outsider.cookie })).body)).not.toContain("煤炭地区公正转型");
  });

  it("re-linking replaces the old pair atomically, a partner linked elsewhere stays its owner's, and unlinking clears both sides", async () => {
    const { noteId: zh2 } = await ok<{ noteId: string }>(server.url, "note.create", { title: "第二个中文版本", language: "zh" }, owner.cookie);
    await ok(server.url, "note.linkTranslation", { noteId: en, otherNoteId: zh2 }, owner.cookie);
    const links = async () => Object.fromEntries((await db.note.findMany({ where: { id: { in: [en, zh, zh2] } }, select: { id: true, translationId: true } })).map((n) => [n.id, n.translationId]));
    expect(await links()).toEqual({ [en]: zh2, [zh2]: en, [zh]: null });

    // Another owner who can read zh2 cannot take it away from its pair.
    await ok(server.url, "noteMember.add", { noteId: zh2, member: people[3]!.id, role: "viewer" }, owner.cookie);
    const { noteId: theirs } = await ok<{ noteId: string }>(server.url, "note.create", { title: "Their English note", language: "en" }, otherOwner.cookie);
    const taken = await command(server.url, "note.linkTranslation", { noteId: theirs, otherNoteId: zh2 }, otherOwner.cookie);
    expect(taken.status).toBe(409);
    expect(taken.error?.code).toBe("translation_taken");
    expect(await links()).toEqual({ [en]: zh2, [zh2]: en, [zh]: null });
    expect((await db.note.findUniqueOrThrow({ where: { id: theirs } })).translationId).toBeNull();

    // The owner of zh2 can move it from zh2's side: en's link goes, both sides at once.
    await ok(server.url, "note.linkTranslation", { noteId: zh, otherNoteId: en }, owner.cookie);
    expect(await links()).toEqual({ [en]: zh, [zh]: en, [zh2]: null });

    await ok(server.url, "note.unlinkTranslation", { noteId: zh }, owner.cookie);
    expect(await links()).toEqual({ [en]: null, [zh]: null, [zh2]: null });
    expect((await get(server.url, `/notes/${en}/export.md`, { cookie: owner.cookie })).body).not.toContain("煤炭");
  });
});
