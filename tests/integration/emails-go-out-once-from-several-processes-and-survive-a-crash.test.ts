/**
 * The outbox and its queue with real processes (tests/helpers/server.ts): two app processes on
 * one database never send an email twice; an email committed before the process is killed
 * (SIGKILL: no shutdown code runs) is delivered by the next process, whether it was still
 * waiting or in the middle of its SMTP transaction; a permanent refusal marks the member's
 * address as bouncing and the settings page says so.
 */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn } from "../helpers/auth";
import { apiCommand } from "../helpers/commands";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createMember, dialogueBySlug, insertThread, openPrisma, paragraphDoc } from "../helpers/factories";
import { get, pageText, postForm } from "../helpers/http";
import { startMailSink, type MailSink } from "../helpers/mail";
import { startServer, type RunningServer } from "../helpers/server";

describe("delivery with several processes and crashes", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let sink: MailSink;
  const servers: RunningServer[] = [];

  const start = async () => {
    const server = await startServer({ databaseUrl: database.url, env: { SMTP_URL: sink.url, EMAIL_DELAY_SECONDS: "8", PUBLIC_URL: "http://localhost:0" } });
    servers.push(server);
    return server;
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    sink = await startMailSink();
  });

  afterAll(async () => {
    for (const server of servers) await server.stop();
    await sink?.close();
    await db?.$disconnect();
    await database?.drop();
  });

  it("sends every email exactly once when two processes share the queue", async () => {
    const [a, b] = await Promise.all([start(), start()]);
    const admin = await createMember(db, { role: "admin" });
    const [inA, inB] = await Promise.all([signIn(a.url, admin.email, admin.password), signIn(b.url, admin.email, admin.password)]);
    const addresses = Array.from({ length: 30 }, (_, i) => `twice-${i}@test.example`);
    // Half the invitations are written by each process; both processes' workers deliver.
    const first = await postForm(a.url, "/admin/invitations", { intent: "invitation.send", emails: addresses.slice(0, 15).join("\n"), role: "member", expiresInDays: "7", locale: "en" }, { cookie: inA.cookie });
    const second = await postForm(b.url, "/admin/invitations", { intent: "invitation.send", emails: addresses.slice(15).join("\n"), role: "member", expiresInDays: "7", locale: "zh" }, { cookie: inB.cookie });
    expect([first.status, second.status]).toEqual([200, 200]);
    await sink.waitForCount((m) => m.to.some((t) => t.startsWith("twice-")), 30, 90_000);
    // Every row sent (the sink answers before the worker records it), each in one attempt.
    await expect.poll(() => db.emailMessage.count({ where: { kind: "invitation", status: "sent" } }), { timeout: 30_000 }).toBe(30);
    expect(await db.emailMessage.groupBy({ by: ["status", "attempts"], where: { kind: "invitation" }, _count: { _all: true } })).toEqual([{ status: "sent", attempts: 1, _count: { _all: 30 } }]);
    // A barrier: the test email queued after them arrives after any duplicate would have.
    await postForm(a.url, "/admin/email", { intent: "email.sendTest", to: "barrier@test.example" }, { cookie: inA.cookie });
    await sink.waitFor((m) => m.to.includes("barrier@test.example"));
    for (const address of addresses) expect(sink.messages.filter((m) => m.to.includes(address)), address).toHaveLength(1);
    expect(new Set(sink.messages.map((m) => m.header("message-id"))).size).toBe(sink.messages.length);
    await Promise.all([a.stop(), b.stop()]);
  }, 180_000);

  it("delivers after a restart what was committed before the process was killed, waiting or half sent", async () => {
    const dialogue = await dialogueBySlug(db, "2024-09-23-economic-diversification");
    const [writer, reader] = await Promise.all([createMember(db), createMember(db, { email: "waiting@test.example" })]);
    const thread = await insertThread(db, { authorId: writer.id, dialogueId: dialogue.id, title: "Crash test" });
    const a = await start();
    const writerIn = await signIn(a.url, writer.email, writer.password);
    // A notification email waits EMAIL_DELAY_SECONDS (8 s) after its commit …
    const posted = await apiCommand(a.url, "reply.create", { threadId: thread.id, content: paragraphDoc("Before the crash, ", { id: reader.id, displayName: "Reader" }) }, { cookie: writerIn.cookie });
    expect(posted.code).toBe("ok");
    // … and an invitation is stuck in the middle of its SMTP transaction (the sink holds DATA).
    sink.behaviour.hold = (address) => address === "half-sent@test.example";
    const admin = await createMember(db, { role: "admin" });
    const adminIn = await signIn(a.url, admin.email, admin.password);
    await postForm(a.url, "/admin/invitations", { intent: "invitation.send", emails: "half-sent@test.example", role: "member", expiresInDays: "7", locale: "en" }, { cookie: adminIn.cookie });
    await sink.held();
    a.process.kill("SIGKILL");
    await a.exited;
    expect(await db.emailMessage.findFirstOrThrow({ where: { toAddress: "waiting@test.example" } })).toMatchObject({ status: "queued" });
    expect(await db.emailMessage.findFirstOrThrow({ where: { toAddress: "half-sent@test.example" } })).toMatchObject({ status: "sending" });
    sink.behaviour.hold = undefined;
    sink.releaseHeld();

    await start();
    const waiting = await sink.waitFor((m) => m.to.includes("waiting@test.example"), 60_000);
    expect(waiting.text).toContain("Before the crash");
    // The half-sent job's lease runs out (60 s), pg-boss retries it, and it goes out once.
    const half = await sink.waitFor((m) => m.to.includes("half-sent@test.example"), 200_000);
    expect(half.subject).toMatch(/invites you to the Coal Regions Network/);
    expect(sink.messages.filter((m) => m.to.includes("half-sent@test.example"))).toHaveLength(1);
  }, 300_000);

  it("marks an address bouncing after a permanent refusal and stops non-essential email to it", async () => {
    const server = servers[servers.length - 1];
    const member = await createMember(db, { email: "gone@test.example" });
    sink.behaviour.permanent = (address) => address === "gone@test.example";
    await postForm(server.url, "/forgot-password", { email: member.email });
    await expect.poll(async () => (await db.user.findUniqueOrThrow({ where: { id: member.id } })).emailBouncingAt, { timeout: 60_000 }).not.toBeNull();
    const row = await db.emailMessage.findFirstOrThrow({ where: { userId: member.id, kind: "password_reset" } });
    expect(row.status).toBe("failed");
    expect(row.attempts).toBe(1);
    expect(row.lastError).toMatch(/550/);
    const cookie = (await signIn(server.url, member.email, member.password)).cookie;
    expect(pageText((await get(server.url, "/settings", { cookie })).body)).toContain("Emails to gone@test.example are being refused by its mail server");
    // A mention queues no email for a bouncing address.
    const writer = await createMember(db);
    const writerIn = await signIn(server.url, writer.email, writer.password);
    const dialogue = await dialogueBySlug(db, "2024-09-23-economic-diversification");
    const thread = await insertThread(db, { authorId: writer.id, dialogueId: dialogue.id });
    expect((await apiCommand(server.url, "reply.create", { threadId: thread.id, content: paragraphDoc("Hello ", { id: member.id, displayName: "Gone" }) }, { cookie: writerIn.cookie })).code).toBe("ok");
    expect(await db.emailMessage.count({ where: { userId: member.id, kind: "notification" } })).toBe(0);
    sink.behaviour.permanent = undefined;
  }, 120_000);
});
