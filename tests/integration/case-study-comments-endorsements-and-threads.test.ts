/**
 * Around a published case study: comments (rich text, deletable by their author, deleted ones
 * never shown), "useful" endorsements (one per member, counted), and dialogue threads started
 * from it, which link back to it while it lists them.
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { command, createStudy, ok } from "../helpers/case-studies";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { uniqueSuffix } from "../helpers/env";
import { createMember, openPrisma } from "../helpers/factories";
import { get, languageCookie, pageText, postForm } from "../helpers/http";
import { startServer, type RunningServer } from "../helpers/server";

describe("case-study comments, endorsements and threads", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let author: SignedIn;
  let reader: SignedIn;
  let third: SignedIn;
  let studyId: string;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    const members = await Promise.all([createMember(db, { displayName: "Author" }), createMember(db, { displayName: "Reader" }), createMember(db, { displayName: "Third" })]);
    [author, reader, third] = await Promise.all(members.map((m) => signIn(server.url, m.email, m.password)));
    studyId = await createStudy(server.url, db, author.cookie, { title: "Datong coal-to-solar", regions: ["shanxi"], topics: ["clean-energy"], isPublic: true });
  });

  afterAll(async () => {
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  const count = async () => (await db.caseStudy.findUniqueOrThrow({ where: { id: studyId } })).endorsementCount;

  it("refuses an author's endorsement of their own case study, says why in their language, and hides the button", async () => {
    const before = await count();
    const refused = await command(server.url, "caseStudy.endorse", { caseStudyId: studyId }, author.cookie);
    expect(refused).toMatchObject({ status: 403, ok: false, error: { code: "endorse_own", message: "You cannot mark your own case study as useful." } });
    const chinese = await command(server.url, "caseStudy.endorse", { caseStudyId: studyId }, `${author.cookie}; ${await languageCookie(server.url, "zh")}`);
    expect(chinese.error?.message).toBe("您不能将自己的案例研究标为有用。");
    const form = await postForm(server.url, `/case-studies/${studyId}`, { intent: "caseStudy.endorse" }, { cookie: author.cookie });
    expect(form.status).toBe(403);
    expect(pageText(form.body)).toContain("You cannot mark your own case study as useful.");
    expect(await count()).toBe(before);
    expect((await get(server.url, `/case-studies/${studyId}`, { cookie: author.cookie })).body).not.toContain('data-testid="endorse-button"');
    expect((await get(server.url, `/case-studies/${studyId}`, { cookie: reader.cookie })).body).toContain('data-testid="endorse-button"');
  });

  it("counts an endorsement once per member, toggles it back, and shows the count", async () => {
    await ok(server.url, "caseStudy.endorse", { caseStudyId: studyId }, reader.cookie);
    await ok(server.url, "caseStudy.endorse", { caseStudyId: studyId }, reader.cookie);
    expect(await count()).toBe(1);
    // Through the page's form too (no JavaScript).
    const form = await postForm(server.url, `/case-studies/${studyId}`, { intent: "caseStudy.endorse" }, { cookie: third.cookie });
    expect(form.status).toBe(302);
    expect(await count()).toBe(2);
    expect(await db.endorsement.count({ where: { caseStudyId: studyId } })).toBe(2);
    expect(pageText((await get(server.url, `/case-studies/${studyId}`, { cookie: reader.cookie })).body)).toContain("2 members found this useful");
    const undone = await ok<{ count: number }>(server.url, "caseStudy.unendorse", { caseStudyId: studyId }, third.cookie);
    expect(undone.count).toBe(1);
    expect(await count()).toBe(1);
    expect(pageText((await get(server.url, `/case-studies/${studyId}`, { cookie: reader.cookie })).body)).toContain("1 member found this useful");
    // Signed out: no endorsing.
    expect((await command(server.url, "caseStudy.endorse", { caseStudyId: studyId })).status).toBe(401);
    // Sorting by endorsements puts it first.
    const other = await createStudy(server.url, db, author.cookie, { title: "Zero endorsements study", regions: ["shanxi"], isPublic: true });
    const list = pageText((await get(server.url, "/case-studies?sort=endorsed", { cookie: reader.cookie })).body);
    expect(list.indexOf("Datong coal-to-solar")).toBeLessThan(list.indexOf("Zero endorsements study"));
    const newest = pageText((await get(server.url, "/case-studies", { cookie: reader.cookie })).body);
    expect(newest.indexOf("Zero endorsements study")).toBeLessThan(newest.indexOf("Datong coal-to-solar"));
    await ok(server.url, "caseStudy.delete", { caseStudyId: other }, author.cookie);
  });

  it("shows comments to members; their author deletes them; deleted comments are never shown", async () => {
    const text = `Our county tried this too ${uniqueSuffix()}`;
    const posted = await postForm(server.url, `/case-studies/${studyId}`, { intent: "caseStudyComment.create", body: text }, { cookie: reader.cookie });
    expect(posted.status).toBe(302);
    const comment = await db.caseStudyComment.findFirstOrThrow({ where: { caseStudyId: studyId, text } });
    const rich = await ok<{ commentId: string }>(
      server.url,
      "caseStudyComment.create",
      { caseStudyId: studyId, content: { type: "doc", content: [{ type: "paragraph", content: [{ type: "text", text: "Bold point", marks: [{ type: "bold" }] }] }] } },
      third.cookie,
    );
    let page = await get(server.url, `/case-studies/${studyId}`, { cookie: author.cookie });
    expect(pageText(page.body)).toContain(text);
    expect(page.body).toContain("<strong>Bold point</strong>");
    // Signed-out readers of a public case study do not see members' comments.
    expect(pageText((await get(server.url, `/case-studies/${studyId}`)).body)).not.toContain(text);

    const empty = await command(server.url, "caseStudyComment.create", { caseStudyId: studyId, body: "   " }, reader.cookie);
    expect(empty.status).toBe(400);
    expect(empty.error?.code).toBe("reply_empty");
    const html = await command(server.url, "caseStudyComment.create", { caseStudyId: studyId, content: { type: "doc", content: [{ type: "image", attrs: { src: "/uploads/x" } }] } }, reader.cookie);
    expect(html.status).toBe(400);

    expect((await command(server.url, "caseStudyComment.delete", { commentId: comment.id }, third.cookie)).status).toBe(403);
    const deleted = await postForm(server.url, `/case-studies/${studyId}`, { intent: "caseStudyComment.delete", commentId: comment.id }, { cookie: reader.cookie });
    expect(deleted.status).toBe(302);
    page = await get(server.url, `/case-studies/${studyId}`, { cookie: author.cookie });
    expect(pageText(page.body)).not.toContain(text);
    expect(pageText(page.body)).toContain("Bold point");
    expect((await command(server.url, "caseStudyComment.delete", { commentId: comment.id }, reader.cookie)).status).toBe(404);
    expect(rich.commentId).toBeTruthy();
  });

  it("starts a dialogue thread from a case study through thread.create; both link to each other", async () => {
    const form = await get(server.url, `/threads/new?caseStudy=${studyId}`, { cookie: reader.cookie });
    expect(form.status).toBe(200);
    expect(form.body).toContain(`name="caseStudyId" value="${studyId}"`);
    const title = `What Datong's solar means for Wyoming ${uniqueSuffix()}`;
    const created = await postForm(server.url, "/threads/new", { dialogueId: "network", title, body: "Let's discuss.", caseStudyId: studyId }, { cookie: reader.cookie });
    expect(created.status).toBe(302);
    const threadId = /^\/threads\/([^/?#]+)$/.exec(created.location ?? "")?.[1];
    expect(threadId).toBeTruthy();
    expect((await db.thread.findUniqueOrThrow({ where: { id: threadId! } })).caseStudyId).toBe(studyId);

    const thread = await get(server.url, `/threads/${threadId}`, { cookie: third.cookie });
    expect(thread.body).toContain('data-testid="from-case-study"');
    expect(thread.body).toContain(`href="/case-studies/${studyId}"`);
    expect(pageText(thread.body)).toContain("From the case study Datong coal-to-solar");
    const study = await get(server.url, `/case-studies/${studyId}`, { cookie: third.cookie });
    expect(study.body).toContain(`href="/threads/${threadId}"`);
    expect(pageText(study.body)).toContain(title);

    // The same command over the JSON API, and a case study the member cannot read is refused.
    const viaApi = await ok<{ threadId: string }>(server.url, "thread.create", { title: "API thread", body: "x", caseStudyId: studyId }, third.cookie);
    expect((await db.thread.findUniqueOrThrow({ where: { id: viaApi.threadId } })).caseStudyId).toBe(studyId);
    const draft = await createStudy(server.url, db, author.cookie, { title: "Private draft", publish: false });
    const before = await db.thread.count();
    const refused = await command(server.url, "thread.create", { title: "Sneaky", body: "x", caseStudyId: draft }, third.cookie);
    expect(refused.status).toBe(404);
    expect(await db.thread.count()).toBe(before);
  });
});
