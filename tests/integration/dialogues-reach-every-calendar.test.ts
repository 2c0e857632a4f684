/**
 * Calendars (issue #14, item 3), read back with a real iCalendar parser (ical.js): a dialogue's
 * `.ics` file has a stable UID, DTSTART with its time zone (right across a daylight-saving
 * change), a SEQUENCE raised on each change, STATUS:CANCELLED once cancelled, the title in the
 * reader's language and the other language and the page's address in the description. A
 * member's personal feed is read without a cookie, lists the dialogues they take part in or
 * follow, and stops working when its address is replaced or turned off.
 */
import type { PrismaClient } from "@prisma/client";
import ICAL from "ical.js";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signIn, type SignedIn } from "../helpers/auth";
import { apiCommand } from "../helpers/commands";
import { createTestDatabase, type TestDatabase } from "../helpers/database";
import { createMember, openPrisma, type TestMember } from "../helpers/factories";
import { get, languageCookie, pageText, postForm } from "../helpers/http";
import { startServer, type RunningServer } from "../helpers/server";

interface ParsedEvent {
  uid: string;
  summary: string;
  description: string;
  url: string | null;
  sequence: number;
  status: string | null;
  start: ICAL.Time;
  end: ICAL.Time | null;
  startZone: string | null;
}

function parse(text: string): { events: ParsedEvent[]; name: string | null } {
  const calendar = new ICAL.Component(ICAL.parse(text));
  // Time zones in the file are what its DTSTARTs refer to.
  for (const zone of calendar.getAllSubcomponents("vtimezone")) ICAL.TimezoneService.register(new ICAL.Timezone(zone));
  const events = calendar.getAllSubcomponents("vevent").map((vevent) => {
    const event = new ICAL.Event(vevent);
    const start = vevent.getFirstProperty("dtstart")!;
    return {
      uid: event.uid,
      summary: event.summary,
      description: event.description,
      url: vevent.getFirstPropertyValue("url") as string | null,
      sequence: event.sequence,
      status: vevent.getFirstPropertyValue("status") as string | null,
      start: event.startDate,
      end: event.endDate,
      startZone: start.getParameter("tzid") as string | null,
    };
  });
  return { events, name: (calendar.getFirstPropertyValue("x-wr-calname") as string | null) ?? null };
}

describe("calendars", () => {
  let database: TestDatabase;
  let db: PrismaClient;
  let server: RunningServer;
  let admin: SignedIn;
  let member: TestMember;
  let memberSession: SignedIn;

  const dialogueWith = async (slug: string, data: { startsAt?: Date | null; startsOn?: string | null; status?: "scheduled" | "tbd" }) => {
    const dialogue = await db.dialogue.findUniqueOrThrow({ where: { slug } });
    return db.dialogue.update({ where: { id: dialogue.id }, data: { startsAt: data.startsAt ?? null, startsOn: data.startsOn ?? null, status: data.status ?? "scheduled" } });
  };
  const ics = async (slug: string, cookie?: string) => {
    const response = await get(server.url, `/dialogues/${slug}/calendar.ics`, { cookie });
    return { response, parsed: response.status === 200 ? parse(response.body) : null };
  };

  beforeAll(async () => {
    database = await createTestDatabase();
    db = openPrisma(database.url);
    server = await startServer({ databaseUrl: database.url });
    const [a, m] = await Promise.all([createMember(db, { role: "admin" }), createMember(db, { displayName: "Calendar Reader" })]);
    member = m;
    [admin, memberSession] = await Promise.all([signIn(server.url, a.email, a.password), signIn(server.url, m.email, m.password)]);
  });

  afterAll(async () => {
    await server?.stop();
    await db?.$disconnect();
    await database?.drop();
  });

  it("gives a dialogue with a time an event at that time in U.S. Eastern, with a stable UID and both languages", async () => {
    const dialogue = await db.dialogue.findFirstOrThrow({ orderBy: { position: "asc" } });
    // 8:00 p.m. EST on 9 December 2026 = 01:00 UTC on the 10th.
    await dialogueWith(dialogue.slug, { startsAt: new Date("2026-12-10T01:00:00Z") });
    const first = await ics(dialogue.slug);
    expect(first.response.status).toBe(200);
    expect(first.response.headers.get("content-type")).toMatch(/^text\/calendar/);
    expect(first.response.headers.get("content-disposition")).toContain(`${dialogue.slug}.ics`);
    const [event] = first.parsed!.events;
    expect(event.uid).toMatch(new RegExp(`^dialogue-${dialogue.id}@`));
    expect(event.startZone).toBe("America/New_York");
    expect(event.start.toJSDate().toISOString()).toBe("2026-12-10T01:00:00.000Z");
    expect([event.start.hour, event.start.minute]).toEqual([20, 0]);
    expect(event.end!.toJSDate().toISOString()).toBe("2026-12-10T03:00:00.000Z");
    expect(event.summary).toBe(dialogue.titleEn);
    expect(event.description).toContain(dialogue.titleZh);
    expect(event.description).toContain(`/dialogues/${dialogue.slug}`);
    expect(event.url).toMatch(new RegExp(`/dialogues/${dialogue.slug}$`));
    expect(event.status).toBe("CONFIRMED");

    const again = await ics(dialogue.slug);
    expect(again.parsed!.events[0].uid).toBe(event.uid);

    // The reader's language titles it.
    const chinese = await ics(dialogue.slug, await languageCookie(server.url, "zh"));
    expect(chinese.parsed!.events[0].summary).toBe(dialogue.titleZh);
    expect(chinese.parsed!.events[0].description).toContain(dialogue.titleEn);
  });

  it("keeps the wall-clock time right across a daylight-saving change", async () => {
    const [winter, summer] = await db.dialogue.findMany({ orderBy: { position: "asc" }, skip: 1, take: 2 });
    // U.S. clocks go forward on 14 March 2027: 9:00 a.m. is 14:00 UTC before, 13:00 UTC after.
    await dialogueWith(winter.slug, { startsAt: new Date("2027-03-13T14:00:00Z") });
    await dialogueWith(summer.slug, { startsAt: new Date("2027-03-15T13:00:00Z") });
    for (const slug of [winter.slug, summer.slug]) {
      const [event] = (await ics(slug)).parsed!.events;
      expect(event.startZone).toBe("America/New_York");
      expect([event.start.hour, event.start.minute]).toEqual([9, 0]);
    }
    expect((await ics(summer.slug)).parsed!.events[0].start.toJSDate().toISOString()).toBe("2027-03-15T13:00:00.000Z");
  });

  it("makes a day without a time an all-day event, and has no file for a dialogue without a day", async () => {
    const [dayOnly, undated] = await db.dialogue.findMany({ orderBy: { position: "asc" }, skip: 3, take: 2 });
    await dialogueWith(dayOnly.slug, { startsOn: "2027-04-20", status: "tbd" });
    const [event] = (await ics(dayOnly.slug)).parsed!.events;
    expect(event.start.isDate).toBe(true);
    expect(event.start.toString()).toBe("2027-04-20");
    expect(event.status).toBe("TENTATIVE");
    await dialogueWith(undated.slug, {});
    expect((await ics(undated.slug)).response.status).toBe(404);
    expect((await get(server.url, "/dialogues/no-such-dialogue/calendar.ics")).status).toBe(404);
  });

  it("raises SEQUENCE on each change and says CANCELLED when the dialogue is called off", async () => {
    const dialogue = await db.dialogue.findFirstOrThrow({ orderBy: { position: "asc" }, skip: 5 });
    await dialogueWith(dialogue.slug, { startsAt: new Date("2027-05-05T13:00:00Z") });
    const before = (await ics(dialogue.slug)).parsed!.events[0];
    const moved = await postForm(server.url, `/admin/dialogues/${dialogue.slug}`, { status: "scheduled", date: "2027-05-06", time: "09:00", zone: "America/New_York", durationMinutes: "90" }, { cookie: admin.cookie });
    expect(moved.status).toBe(302);
    const after = (await ics(dialogue.slug)).parsed!.events[0];
    expect(after.uid).toBe(before.uid);
    expect(after.sequence).toBe(before.sequence + 1);
    expect(after.start.toJSDate().toISOString()).toBe("2027-05-06T13:00:00.000Z");
    expect(after.end!.toJSDate().toISOString()).toBe("2027-05-06T14:30:00.000Z");

    // Saving without a change changes nothing a calendar sees.
    await postForm(server.url, `/admin/dialogues/${dialogue.slug}`, { status: "scheduled", date: "2027-05-06", time: "09:00", zone: "America/New_York", durationMinutes: "90" }, { cookie: admin.cookie });
    expect((await ics(dialogue.slug)).parsed!.events[0].sequence).toBe(after.sequence);

    await postForm(server.url, `/admin/dialogues/${dialogue.slug}`, { status: "cancelled", date: "2027-05-06", time: "09:00", zone: "America/New_York", durationMinutes: "90" }, { cookie: admin.cookie });
    const cancelled = (await ics(dialogue.slug)).parsed!.events[0];
    expect(cancelled.status).toBe("CANCELLED");
    expect(cancelled.sequence).toBe(after.sequence + 1);
    expect(pageText((await get(server.url, `/dialogues/${dialogue.slug}`)).body)).toContain("Cancelled");
  });

  describe("the personal feed", () => {
    it("is made in settings, shown once, read without a cookie, and lists what the member takes part in or follows", async () => {
      const [followed, takenPart, neither] = await db.dialogue.findMany({ where: { OR: [{ startsAt: { not: null } }, { startsOn: { not: null } }] }, orderBy: { position: "asc" }, take: 3 });
      await db.categoryWatch.create({ data: { userId: member.id, categoryKey: `dialogue:${followed.id}`, level: "watching" } });
      await db.participationRequest.create({ data: { id: `pr-${Date.now()}`, dialogueId: takenPart.id, userId: member.id, name: "Calendar Reader", email: member.email, status: "approved" } });

      const made = await postForm(server.url, "/settings", { intent: "calendarFeed.reset" }, { cookie: memberSession.cookie });
      expect(made.status).toBe(200);
      const url = /data-testid="calendar-feed-url"[^>]*value="([^"]+)"/.exec(made.body)?.[1] ?? /value="([^"]+\/calendar\/[^"]+\.ics)"/.exec(made.body)?.[1];
      expect(url).toMatch(/\/calendar\/[A-Za-z0-9_-]{40,}\.ics$/);
      expect(made.body).toContain(`href="${url!.replace(/^https?:\/\//, "webcal://")}"`);
      // Only its hash is stored.
      const stored = await db.calendarFeed.findUniqueOrThrow({ where: { userId: member.id } });
      expect(stored.tokenHash).not.toContain(url!.split("/calendar/")[1]!.replace(".ics", ""));
      // Not shown again.
      expect((await get(server.url, "/settings", { cookie: memberSession.cookie })).body).not.toContain(url!);

      const path = new URL(url!).pathname;
      const feed = await get(server.url, path);
      expect(feed.status).toBe(200);
      const parsed = parse(feed.body);
      expect(parsed.name).toBe("Coal Regions Network: my dialogues");
      const uids = parsed.events.map((e) => e.uid);
      expect(uids).toEqual(expect.arrayContaining([expect.stringContaining(followed.id), expect.stringContaining(takenPart.id)]));
      expect(uids.some((uid) => uid.includes(neither.id))).toBe(false);

      // Replaced: the old address is gone, the new one works.
      const remade = await apiCommand(server.url, "calendarFeed.reset", {}, { cookie: memberSession.cookie });
      const newToken = (remade.result as { token: string }).token;
      expect((await get(server.url, path)).status).toBe(404);
      expect((await get(server.url, `/calendar/${newToken}.ics`)).status).toBe(200);

      // Turned off.
      expect((await apiCommand(server.url, "calendarFeed.remove", {}, { cookie: memberSession.cookie })).code).toBe("ok");
      expect((await get(server.url, `/calendar/${newToken}.ics`)).status).toBe(404);
    });

    it("answers an unknown or malformed address with 404, and a signed-out reset with 401", async () => {
      for (const path of ["/calendar/aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa.ics", "/calendar/short.ics", "/calendar/%00.ics", "/calendar/x"]) {
        expect((await get(server.url, path)).status, path).toBe(404);
      }
      expect((await apiCommand(server.url, "calendarFeed.reset", {})).status).toBe(401);
    });

    it("is titled in the member's language and stops for a member who may not sign in", async () => {
      const chinese = await createMember(db, { displayName: "日历读者", locale: "zh" });
      const session = await signIn(server.url, chinese.email, chinese.password);
      const token = ((await apiCommand(server.url, "calendarFeed.reset", {}, { cookie: session.cookie })).result as { token: string }).token;
      const dialogue = await db.dialogue.findFirstOrThrow({ where: { startsAt: { not: null } } });
      await db.categoryWatch.create({ data: { userId: chinese.id, categoryKey: `dialogue:${dialogue.id}`, level: "tracking" } });
      const parsed = parse((await get(server.url, `/calendar/${token}.ics`)).body);
      expect(parsed.name).toBe("煤炭地区网络:我的对话");
      expect(parsed.events[0].summary).toBe(dialogue.titleZh);
      await db.user.update({ where: { id: chinese.id }, data: { deactivatedAt: new Date() } });
      expect((await get(server.url, `/calendar/${token}.ics`)).status).toBe(404);
    });
  });

  it("shows the time in U.S. Eastern, U.S. Mountain and China time, and links the calendar file", async () => {
    const dialogue = await db.dialogue.findFirstOrThrow({ orderBy: { position: "asc" } });
    await dialogueWith(dialogue.slug, { startsAt: new Date("2026-12-10T01:00:00Z") });
    const page = await get(server.url, `/dialogues/${dialogue.slug}`);
    const text = pageText(page.body);
    expect(text).toMatch(/U\.S\. Eastern.*Wed, Dec 9, 2026, 8:00\sPM EST/);
    expect(text).toMatch(/U\.S\. Mountain \(Wyoming\).*Wed, Dec 9, 2026, 6:00\sPM MST/);
    expect(text).toMatch(/China Standard Time.*Thu, Dec 10, 2026, 9:00\sAM GMT\+8/);
    expect(page.body).toContain(`href="/dialogues/${dialogue.slug}/calendar.ics"`);
  });
});
