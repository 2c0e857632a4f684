/**
 * The outcomes register (issue #14, item 6): a member proposes an outcome from a thread; only they
 * and staff see it until staff review it into the register (both languages' titles needed);
 * public outcomes are listed to everyone, the others to members; staff record a dated timeline,
 * link evidence and origins; the list filters by status, type and region with counts, the home
 * and region pages count them, and everything reads in English or Chinese.
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { apiCommand } from "../helpers/commands";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createMember, insertThread, openPrisma, type TestMember } from "../helpers/factories";
import { get, languageCookie, pageText, postForm } from "../helpers/http";
import { startServer, type RunningServer } from "../helpers/server";

describe("the outcomes register", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let proposer: TestMember;
  let proposerSession: SignedIn;
  let otherMember: SignedIn;
  let moderator: SignedIn;
  let zh: string;
  let threadId: string;
  let outcomeId: string;
  let shanxi: { id: string; slug: string };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    const [p, o, m] = await Promise.all([createMember(db, { displayName: "Li Proposer" }), createMember(db), createMember(db, { role: "moderator" })]);
    proposer = p;
    [proposerSession, otherMember, moderator] = await Promise.all([p, o, m].map((x) => signIn(server.url, x.email, x.password)));
    const dialogue = await db.dialogue.findFirstOrThrow({ where: { slug: "2024-12-climate-finance" } });
    threadId = (await insertThread(db, { authorId: p.id, dialogueId: dialogue.id, title: "Financing the transition" })).id;
    shanxi = await db.region.findUniqueOrThrow({ where: { slug: "shanxi" }, select: { id: true, slug: true } });
    zh = await languageCookie(server.url, "zh");
  });

  afterAll(async () => {
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it("lets a member propose an outcome from a thread, seen only by them and staff until reviewed", async () => {
    const form = await get(server.url, `/outcomes/new?from=thread:${threadId}`, { cookie: proposerSession.cookie });
    expect(pageText(form.body)).toContain("Financing the transition");
    const proposed = await postForm(
      server.url,
      "/outcomes/new",
      { from: `thread:${threadId}`, type: "policy_idea", titleEn: "A county transition fund", titleZh: "", summaryEn: "Set aside severance tax.", summaryZh: "", regionIds: shanxi.id, isPublic: "on" },
      { cookie: proposerSession.cookie },
    );
    expect(proposed.status).toBe(302);
    outcomeId = proposed.location!.split("/").pop()!;
    const row = await db.outcome.findUniqueOrThrow({ where: { id: outcomeId }, include: { origins: true, regions: true } });
    expect(row).toMatchObject({ reviewedAt: null, proposedById: proposer.id, status: "proposed", type: "policy_idea" });
    expect(row.origins).toEqual([expect.objectContaining({ kind: "thread", refId: threadId })]);

    expect((await get(server.url, `/outcomes/${outcomeId}`, { cookie: proposerSession.cookie })).status).toBe(200);
    expect((await get(server.url, `/outcomes/${outcomeId}`, { cookie: moderator.cookie })).status).toBe(200);
    expect((await get(server.url, `/outcomes/${outcomeId}`, { cookie: otherMember.cookie })).status).toBe(404);
    expect((await get(server.url, `/outcomes/${outcomeId}`)).status).toBe(404);
    expect(pageText((await get(server.url, "/outcomes")).body)).not.toContain("A county transition fund");
    expect(pageText((await get(server.url, "/outcomes", { cookie: moderator.cookie })).body)).toContain("Proposals awaiting review");
  });

  it("refuses a proposal without a title, and one from something the member cannot open", async () => {
    expect((await apiCommand(server.url, "outcome.propose", { type: "commitment", titleEn: "", titleZh: "" }, { cookie: proposerSession.cookie })).code).toBe("title_required");
    const note = await apiCommand(server.url, "note.create", { title: "Private note" }, { cookie: moderator.cookie });
    const noteId = (note.result as { noteId: string }).noteId;
    const refused = await apiCommand(server.url, "outcome.propose", { type: "commitment", titleEn: "From a note I cannot see", origin: { kind: "note", refId: noteId } }, { cookie: proposerSession.cookie });
    expect(refused.code).toBe("not_found");
  });

  it("lets only staff review, and needs both languages' titles to enter the register", async () => {
    expect((await apiCommand(server.url, "outcome.review", { outcomeId, decision: "accept" }, { cookie: proposerSession.cookie })).status).toBe(403);
    const incomplete = await postForm(server.url, `/outcomes/${outcomeId}`, { intent: "outcome.review", decision: "accept" }, { cookie: moderator.cookie });
    expect(incomplete.status).toBe(400);
    expect(pageText(incomplete.body)).toContain("Give the title in both English and Chinese");

    const revision = (await db.outcome.findUniqueOrThrow({ where: { id: outcomeId } })).revision;
    const edited = await postForm(
      server.url,
      `/outcomes/${outcomeId}`,
      { intent: "outcome.update", type: "policy_idea", titleEn: "A county transition fund", titleZh: "县级转型基金", summaryEn: "Set aside severance tax.", summaryZh: "划出部分开采税。", regionIds: shanxi.id, isPublic: "on", baseRevision: String(revision) },
      { cookie: moderator.cookie },
    );
    expect(edited.status).toBe(302);
    // The same form again, from the revision it replaced: refused, not overwritten.
    const stale = await apiCommand(server.url, "outcome.update", { outcomeId, type: "commitment", titleEn: "Stale", titleZh: "旧", regionIds: [], baseRevision: revision }, { cookie: moderator.cookie });
    expect(stale.code).toBe("edit_conflict");

    expect((await postForm(server.url, `/outcomes/${outcomeId}`, { intent: "outcome.review", decision: "accept" }, { cookie: moderator.cookie })).status).toBe(302);
    expect((await db.outcome.findUniqueOrThrow({ where: { id: outcomeId } })).reviewedAt).not.toBeNull();
    expect(pageText((await get(server.url, "/outcomes")).body)).toContain("A county transition fund");
    expect(pageText((await get(server.url, "/outcomes", { cookie: zh })).body)).toContain("县级转型基金");
  });

  it("records a dated timeline: each day in the recorder's zone, the latest step is the status", async () => {
    expect((await postForm(server.url, `/outcomes/${outcomeId}`, { intent: "outcome.setStatus", status: "under_discussion", day: "2026-11-02", timeZone: "America/Chicago", note: "Two offices agreed to study it." }, { cookie: moderator.cookie })).status).toBe(302);
    expect((await postForm(server.url, `/outcomes/${outcomeId}`, { intent: "outcome.setStatus", status: "adopted", day: "2026-11-20", timeZone: "Asia/Shanghai", note: "Adopted by the province." }, { cookie: moderator.cookie })).status).toBe(302);
    const events = await db.outcomeEvent.findMany({ where: { outcomeId }, orderBy: { occurredAt: "asc" } });
    expect(events.map((e) => [e.status, e.occurredAt.toISOString()])).toEqual([
      ["under_discussion", "2026-11-02T06:00:00.000Z"],
      ["adopted", "2026-11-19T16:00:00.000Z"],
    ]);
    expect((await db.outcome.findUniqueOrThrow({ where: { id: outcomeId } })).status).toBe("adopted");
    // A step recorded late, for an earlier day, joins the timeline in its place; the status stays.
    await postForm(server.url, `/outcomes/${outcomeId}`, { intent: "outcome.setStatus", status: "proposed", day: "2026-10-01", timeZone: "UTC", note: "First raised." }, { cookie: moderator.cookie });
    expect((await db.outcome.findUniqueOrThrow({ where: { id: outcomeId } })).status).toBe("adopted");
    expect((await db.outcomeEvent.findMany({ where: { outcomeId }, orderBy: { occurredAt: "asc" } })).map((e) => e.status)).toEqual(["proposed", "under_discussion", "adopted"]);
    // A day that has not come yet is refused.
    expect((await apiCommand(server.url, "outcome.setStatus", { outcomeId, status: "implemented", day: "2099-01-01", timeZone: "UTC" }, { cookie: moderator.cookie })).status).toBe(400);

    const en = pageText((await get(server.url, `/outcomes/${outcomeId}`)).body);
    expect(en).toContain("Adopted");
    expect(en).toContain("Two offices agreed to study it.");
    const chinese = pageText((await get(server.url, `/outcomes/${outcomeId}`, { cookie: zh })).body);
    expect(chinese).toContain("已采纳");
    expect(chinese).toContain("讨论中");
  });

  it("links evidence (web addresses only) and shows an origin's title only to who may open it", async () => {
    expect((await apiCommand(server.url, "outcome.addEvidence", { outcomeId, url: "javascript:alert(1)", label: "x" }, { cookie: moderator.cookie })).status).toBe(400);
    expect((await apiCommand(server.url, "outcome.addEvidence", { outcomeId, url: "https://example.org/law", label: "The provincial regulation" }, { cookie: moderator.cookie })).code).toBe("ok");
    const signedOut = await get(server.url, `/outcomes/${outcomeId}`);
    expect(pageText(signedOut.body)).toContain("The provincial regulation");
    // The origin is a members-only thread: the public sees only that it was a discussion.
    expect(pageText(signedOut.body)).not.toContain("Financing the transition");
    expect(pageText(signedOut.body)).toContain("(not open to you)");
    expect(pageText((await get(server.url, `/outcomes/${outcomeId}`, { cookie: otherMember.cookie })).body)).toContain("Financing the transition");

    // Staff link another origin by pasting its page's address.
    const linked = await postForm(server.url, `/outcomes/${outcomeId}`, { intent: "outcome.addOrigin", address: `${server.url}/dialogues/2024-12-climate-finance` }, { cookie: moderator.cookie });
    expect(linked.status).toBe(302);
    const dialogue = await db.dialogue.findUniqueOrThrow({ where: { slug: "2024-12-climate-finance" } });
    expect(await db.outcomeOrigin.count({ where: { outcomeId, kind: "dialogue", refId: dialogue.id } })).toBe(1);
    const wrong = await postForm(server.url, `/outcomes/${outcomeId}`, { intent: "outcome.addOrigin", address: "https://elsewhere.example/page" }, { cookie: moderator.cookie });
    expect(wrong.status).toBe(400);
    expect(pageText(wrong.body)).toContain("That is not the address of a dialogue");
  });

  it("lists members-only outcomes to members only, filters by status, type and region, and counts them", async () => {
    const hidden = await apiCommand(server.url, "outcome.propose", { type: "joint_project", titleEn: "Members-only exchange", titleZh: "仅限成员的交流", regionIds: [], isPublic: false }, { cookie: moderator.cookie });
    const hiddenId = (hidden.result as { outcomeId: string }).outcomeId;
    expect((await apiCommand(server.url, "outcome.review", { outcomeId: hiddenId, decision: "accept" }, { cookie: moderator.cookie })).code).toBe("ok");
    expect(pageText((await get(server.url, "/outcomes")).body)).not.toContain("Members-only exchange");
    expect((await get(server.url, `/outcomes/${hiddenId}`)).status).toBe(404);
    expect(pageText((await get(server.url, "/outcomes", { cookie: otherMember.cookie })).body)).toContain("Members-only exchange");

    const ids = (html: string) => [...html.matchAll(/data-outcome-id="([^"]+)"/g)].map((m) => m[1]);
    expect(ids((await get(server.url, "/outcomes?status=adopted", { cookie: otherMember.cookie })).body)).toEqual([outcomeId]);
    expect(ids((await get(server.url, "/outcomes?type=joint_project", { cookie: otherMember.cookie })).body)).toEqual([hiddenId]);
    expect(ids((await get(server.url, `/outcomes?region=${shanxi.slug}`, { cookie: otherMember.cookie })).body)).toEqual([outcomeId]);
    // Filters that make no sense are dropped, not errors.
    expect((await get(server.url, "/outcomes?status=bogus&type=%E2%80%AE&region=nowhere&page=-4")).status).toBe(200);

    const home = await get(server.url, "/", { cookie: otherMember.cookie });
    expect(home.body).toMatch(/data-testid="outcome-counts" data-total="2"/);
    expect(pageText(home.body)).toContain("1 adopted");
    expect((await get(server.url, "/")).body).toMatch(/data-testid="outcome-counts" data-total="1"/);
    const region = await get(server.url, `/regions/${shanxi.slug}`, { cookie: zh });
    expect(region.body).toMatch(/data-testid="outcome-counts" data-total="1"/);
    expect(pageText(region.body)).toContain("1 项已采纳");
  });

  it("lets staff decline a proposal and delete an outcome, which then is gone for everyone", async () => {
    const proposal = await apiCommand(server.url, "outcome.propose", { type: "commitment", titleEn: "Declined idea" }, { cookie: proposerSession.cookie });
    const id = (proposal.result as { outcomeId: string }).outcomeId;
    expect((await apiCommand(server.url, "outcome.review", { outcomeId: id, decision: "decline" }, { cookie: proposerSession.cookie })).status).toBe(403);
    expect((await apiCommand(server.url, "outcome.review", { outcomeId: id, decision: "decline" }, { cookie: moderator.cookie })).code).toBe("ok");
    expect((await get(server.url, `/outcomes/${id}`, { cookie: proposerSession.cookie })).status).toBe(404);
    expect((await apiCommand(server.url, "outcome.delete", { outcomeId, }, { cookie: otherMember.cookie })).status).toBe(403);
  });
});
