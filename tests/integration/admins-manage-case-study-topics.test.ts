/** Topics: admins create, rename, reorder and delete them (only while unused); members cannot. */
import type { PrismaClient } from "@prisma/client";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { command, createStudy, ok } from "../helpers/case-studies";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createMember, openPrisma } from "../helpers/factories";
import { get, pageText, postForm } from "../helpers/http";
import { startServer, type RunningServer } from "../helpers/server";

describe("topics", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let admin: SignedIn;
  let member: SignedIn;

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    const [a, m] = await Promise.all([createMember(db, { role: "admin" }), createMember(db)]);
    [admin, member] = await Promise.all([signIn(server.url, a.email, a.password), signIn(server.url, m.email, m.password)]);
  });

  afterAll(async () => {
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it("starts with the eight topics in both languages and lets only admins manage them", async () => {
    const page = await get(server.url, "/admin/topics", { cookie: admin.cookie });
    expect(page.status).toBe(200);
    expect(page.body).toContain('value="Economic diversification"');
    expect(page.body).toContain('value="社区与公正转型"');
    // The admin area does not show non-admins that it exists.
    expect((await get(server.url, "/admin/topics", { cookie: member.cookie })).status).toBe(404);
    expect((await command(server.url, "topic.create", { slug: "water", nameEn: "Water", nameZh: "水资源" }, member.cookie)).status).toBe(403);
  });

  it("creates, renames, reorders, and deletes a topic only while no case study uses it", async () => {
    const created = await postForm(server.url, "/admin/topics", { intent: "topic.create", slug: "mine-water", nameEn: "Mine water", nameZh: "矿井水" }, { cookie: admin.cookie });
    expect(created.status).toBe(302);
    const topic = await db.topic.findUniqueOrThrow({ where: { slug: "mine-water" } });
    expect(topic.position).toBe(8);
    expect((await command(server.url, "topic.create", { slug: "mine-water", nameEn: "Again", nameZh: "再次" }, admin.cookie)).status).toBe(409);
    await ok(server.url, "topic.rename", { topicId: topic.id, nameEn: "Mine water treatment", nameZh: "矿井水处理" }, admin.cookie);
    await ok(server.url, "topic.move", { topicId: topic.id, direction: "up" }, admin.cookie);
    const ordered = await db.topic.findMany({ orderBy: { position: "asc" } });
    expect(ordered.map((t) => t.slug).slice(6)).toEqual(["role-of-business", "mine-water", "policy-governance"]);

    await createStudy(server.url, db, member.cookie, { title: "Treating mine water", topics: ["mine-water"] });
    const inUse = await command(server.url, "topic.delete", { topicId: topic.id }, admin.cookie);
    expect(inUse.status).toBe(409);
    expect(inUse.error?.message).toBe("This topic is used by case studies and cannot be deleted.");
    expect(pageText((await get(server.url, "/case-studies?topic=mine-water", { cookie: member.cookie })).body)).toContain("Mine water treatment");

    const unused = await ok<{ topicId: string }>(server.url, "topic.create", { slug: "unused", nameEn: "Unused", nameZh: "未使用" }, admin.cookie);
    await ok(server.url, "topic.delete", { topicId: unused.topicId }, admin.cookie);
    expect(await db.topic.findUnique({ where: { id: unused.topicId } })).toBeNull();
  });
});
