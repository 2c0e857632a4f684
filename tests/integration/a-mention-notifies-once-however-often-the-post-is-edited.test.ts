/**
 * An @mention notifies the mentioned member once: editing the post three times (over the JSON
 * API, the socket and the edit page's form) while keeping the mention sends no second
 * notification, no second badge update and keeps one line in their list. A mention the edit
 * adds notifies the newly mentioned member, once.
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { apiCommand, socketCommand } from "../helpers/commands";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { uniqueSuffix } from "../helpers/env";
import { createMember, dialogueBySlug, insertReplies, insertThread, openPrisma, paragraphDoc, type TestMember } from "../helpers/factories";
import { get, postForm } from "../helpers/http";
import { badgeCount, notificationsOnPage, repliesOnPage } from "../helpers/pages";
import { startServer, type RunningServer } from "../helpers/server";
import { closeSockets, connectSocket, record, type ClientSocket, type EventRecorder } from "../helpers/sockets";

describe("a post mentioning a member, edited three times", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let mentioned: TestMember;
  let added: TestMember;
  let writerSession: SignedIn;
  let mentionedSession: SignedIn;
  let writerSocket: ClientSocket;
  let mentionedSocket: ClientSocket;
  let counts: EventRecorder<"notifications:count">;
  let thread: { id: string };
  let replyId: string;

  const mentionNotifications = (userId: string) => db.notification.findMany({ where: { userId, type: "mention" } });

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    const dialogue = await dialogueBySlug(db, "2024-09-23-economic-diversification");
    const writer = await createMember(db, { displayName: `Writer ${uniqueSuffix()}` });
    mentioned = await createMember(db, { displayName: `Mentioned ${uniqueSuffix()}` });
    added = await createMember(db, { displayName: `Added later ${uniqueSuffix()}` });
    thread = await insertThread(db, { authorId: writer.id, dialogueId: dialogue.id });
    await insertReplies(db, thread.id, [{ authorId: writer.id }]);
    [writerSession, mentionedSession] = await Promise.all([signIn(server.url, writer.email, writer.password), signIn(server.url, mentioned.email, mentioned.password)]);
    [writerSocket, mentionedSocket] = await Promise.all([
      connectSocket(server.url, { cookie: writerSession.cookie }),
      connectSocket(server.url, { cookie: mentionedSession.cookie }),
    ]);
    counts = record(mentionedSocket, "notifications:count");
  });

  afterAll(async () => {
    closeSockets(writerSocket, mentionedSocket);
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it("notifies the mentioned member when first posted", async () => {
    const posted = await apiCommand(
      server.url,
      "reply.create",
      { threadId: thread.id, content: paragraphDoc("Version 1, asking ", mentioned, " for data") },
      { cookie: writerSession.cookie },
    );
    expect(posted.code).toBe("ok");
    replyId = (posted.result as { id: string }).id;
    await counts.waitFor((c) => c.unread === 1);
    expect(await mentionNotifications(mentioned.id)).toHaveLength(1);
  });

  it("notifies nobody again when edited three times, keeping the mention", async () => {
    const edit = (n: number) => paragraphDoc(`Version ${n}, still asking `, mentioned, ` for data ${uniqueSuffix()}`);
    expect((await apiCommand(server.url, "reply.edit", { replyId, content: edit(2) }, { cookie: writerSession.cookie })).code).toBe("ok");
    expect((await socketCommand(writerSocket, "reply.edit", { replyId, content: edit(3) })).code).toBe("ok");
    const form = await postForm(server.url, `/replies/${replyId}/edit`, { content: JSON.stringify(edit(4)) }, { cookie: writerSession.cookie });
    expect(form.status).toBe(302);

    const reply = await db.reply.findUniqueOrThrow({ where: { id: replyId }, include: { revisions: true } });
    expect(reply.editCount).toBe(3);
    expect(reply.revisions).toHaveLength(3);
    expect(reply.text).toMatch(/^Version 4, still asking @Mentioned /);
    expect(await mentionNotifications(mentioned.id)).toHaveLength(1);
  });

  it("sent no second badge update: the next update the member gets is for a new notification", async () => {
    // A different post mentioning them is the barrier: its count (2) is the next one to arrive.
    const other = await socketCommand(writerSocket, "reply.create", { threadId: thread.id, content: paragraphDoc("Another post for ", mentioned) });
    expect(other.code).toBe("ok");
    await counts.waitFor((c) => c.unread === 2);
    expect(counts.events.map((c) => c.unread)).toEqual([1, 2]);
  });

  it("shows one line for the edited post in the member's notifications, with the badge counting it once", async () => {
    const page = await get(server.url, "/notifications", { cookie: mentionedSession.cookie });
    expect(badgeCount(page.body)).toBe(2);
    const notes = notificationsOnPage(page.body);
    expect(notes.map((n) => n.type)).toEqual(["mention", "mention"]);
    expect(notes.filter((n) => n.html.includes("Version 4"))).toHaveLength(1);
  });

  it("shows the post as edited, with its latest text", async () => {
    const page = await get(server.url, `/threads/${thread.id}?last=1`, { cookie: mentionedSession.cookie });
    expect(repliesOnPage(page.body).map((r) => r.id)).toContain(replyId);
    expect(page.body).toContain('data-testid="edited"');
    expect(page.body).toContain("Version 4, still asking");
  });

  it("notifies, once, a member the edit newly mentions", async () => {
    const withBoth = (n: number) => paragraphDoc(`Version ${n}, asking `, mentioned, " and ", added);
    expect((await apiCommand(server.url, "reply.edit", { replyId, content: withBoth(5) }, { cookie: writerSession.cookie })).code).toBe("ok");
    expect((await apiCommand(server.url, "reply.edit", { replyId, content: withBoth(6) }, { cookie: writerSession.cookie })).code).toBe("ok");
    expect(await mentionNotifications(added.id)).toHaveLength(1);
    expect(await mentionNotifications(mentioned.id)).toHaveLength(2);
  });
});
