import { describe, expect, it } from "vitest";
import { CHINA_STANDARD, dateTimeFormat, dialogueWhen, formatInZone, US_EASTERN } from "./dates";

/** ICU puts narrow/no-break spaces before AM/PM; compare with plain spaces. */
const plain = (text: string | undefined) => text?.replace(/[\u202f\u00a0]/g, " ");

const when = (fields: Partial<Parameters<typeof dialogueWhen>[0]>, locale: "en" | "zh") =>
  dialogueWhen({ startsAt: null, startsOn: null, periodStart: null, periodEnd: null, dateNoteEn: "", dateNoteZh: "", ...fields }, locale);

/** Every part must appear (ICU orders the zone and the time differently across versions). */
function expectParts(text: string | undefined, parts: string[]) {
  for (const part of parts) expect(plain(text)).toContain(part);
}

describe("formatInZone shows one instant in U.S. Eastern and China Standard time", () => {
  // 23 Sep 2024, 13:00 UTC: 9 am in New York (EDT, UTC-4), 9 pm in Beijing (UTC+8).
  const climateWeek = new Date("2024-09-23T13:00:00Z");

  it("in English, summer time in New York is EDT", () => {
    expect(plain(formatInZone(climateWeek, US_EASTERN, "en"))).toBe("Mon, Sep 23, 2024, 9:00 AM EDT");
    expect(plain(formatInZone(climateWeek, CHINA_STANDARD, "en"))).toBe("Mon, Sep 23, 2024, 9:00 PM GMT+8");
  });

  it("in Chinese, with 24-hour times and the UTC offsets", () => {
    expectParts(formatInZone(climateWeek, US_EASTERN, "zh"), ["2024年9月23日", "周一", "09:00", "GMT-4"]);
    expectParts(formatInZone(climateWeek, CHINA_STANDARD, "zh"), ["2024年9月23日", "周一", "21:00", "GMT+8"]);
  });

  it("in winter New York is EST (UTC-5), and the two zones can fall on different days", () => {
    const evening = new Date("2024-12-06T02:00:00Z");
    expect(plain(formatInZone(evening, US_EASTERN, "en"))).toBe("Thu, Dec 5, 2024, 9:00 PM EST");
    expect(plain(formatInZone(evening, CHINA_STANDARD, "en"))).toBe("Fri, Dec 6, 2024, 10:00 AM GMT+8");
    expectParts(formatInZone(evening, US_EASTERN, "zh"), ["2024年12月5日", "周四", "21:00", "GMT-5"]);
    expectParts(formatInZone(evening, CHINA_STANDARD, "zh"), ["2024年12月6日", "周五", "10:00", "GMT+8"]);
  });

  it("switches from EST to EDT at 2 am on the second Sunday of March (China has no DST)", () => {
    expect(plain(formatInZone(new Date("2024-03-10T06:59:00Z"), US_EASTERN, "en"))).toBe("Sun, Mar 10, 2024, 1:59 AM EST");
    expect(plain(formatInZone(new Date("2024-03-10T07:00:00Z"), US_EASTERN, "en"))).toBe("Sun, Mar 10, 2024, 3:00 AM EDT");
    expect(plain(formatInZone(new Date("2024-03-10T06:59:00Z"), CHINA_STANDARD, "en"))).toBe("Sun, Mar 10, 2024, 2:59 PM GMT+8");
    expect(plain(formatInZone(new Date("2024-03-10T07:00:00Z"), CHINA_STANDARD, "en"))).toBe("Sun, Mar 10, 2024, 3:00 PM GMT+8");
  });

  it("shows 1:30 am twice on the first Sunday of November, first EDT then EST", () => {
    expect(plain(formatInZone(new Date("2024-11-03T05:30:00Z"), US_EASTERN, "en"))).toBe("Sun, Nov 3, 2024, 1:30 AM EDT");
    expect(plain(formatInZone(new Date("2024-11-03T06:30:00Z"), US_EASTERN, "en"))).toBe("Sun, Nov 3, 2024, 1:30 AM EST");
    expectParts(formatInZone(new Date("2024-11-03T06:30:00Z"), US_EASTERN, "zh"), ["2024年11月3日", "01:30", "GMT-5"]);
  });
});

describe("dialogueWhen says when a dialogue takes place", () => {
  it("gives both zones for a known start (a string from JSON works as well as a Date)", () => {
    const en = when({ startsAt: "2024-09-23T13:00:00.000Z", dateNoteEn: "During Climate Week NYC" }, "en");
    expect(plain(en.eastern)).toBe("Mon, Sep 23, 2024, 9:00 AM EDT");
    expect(plain(en.china)).toBe("Mon, Sep 23, 2024, 9:00 PM GMT+8");
    expect(en.note).toBe("During Climate Week NYC");
    expect(en.day).toBeUndefined();

    const zh = when({ startsAt: new Date("2024-09-23T13:00:00Z"), dateNoteZh: "气候周纽约期间" }, "zh");
    expectParts(zh.eastern, ["2024年9月23日", "09:00", "GMT-4"]);
    expectParts(zh.china, ["2024年9月23日", "21:00", "GMT+8"]);
    expect(zh.note).toBe("气候周纽约期间");
  });

  it("gives the calendar day alone when only the day is known", () => {
    expect(when({ startsOn: "2024-09-23" }, "en")).toEqual({ day: "Monday, September 23, 2024", note: undefined });
    expect(when({ startsOn: "2024-09-23" }, "zh")).toEqual({ day: "2024年9月23日星期一", note: undefined });
  });

  it("gives a period in months for the Just Transition Study (Aug 2022 – Dec 2023)", () => {
    expect(when({ periodStart: "2022-08", periodEnd: "2023-12" }, "en").period).toBe("August 2022 – December 2023");
    expect(when({ periodStart: "2022-08", periodEnd: "2023-12" }, "zh").period).toBe("2022年8月 – 2023年12月");
  });

  it("gives a period in years, and one value when start and end are the same", () => {
    expect(when({ periodStart: "2021", periodEnd: "2022" }, "en").period).toBe("2021 – 2022");
    expect(when({ periodStart: "2021", periodEnd: "2022" }, "zh").period).toBe("2021年 – 2022年");
    expect(when({ periodStart: "2023-05", periodEnd: "2023-05" }, "en").period).toBe("May 2023");
    expect(when({ periodStart: "2023-05" }, "en").period).toBe("May 2023");
  });

  it("falls back to the page's own wording when no date is fixed", () => {
    const fields = { dateNoteEn: "Early December, date to be decided", dateNoteZh: "12月上旬,具体时间待定" };
    expect(when(fields, "en")).toEqual({ note: "Early December, date to be decided" });
    expect(when(fields, "zh")).toEqual({ note: "12月上旬,具体时间待定" });
    expect(when({}, "en")).toEqual({ note: undefined });
  });
});

describe("dateTimeFormat", () => {
  it("makes one formatter per locale and options, and formats as the constructor does", () => {
    const options = { timeZone: "Asia/Shanghai", dateStyle: "medium", timeStyle: "short" } as const;
    expect(dateTimeFormat("zh-CN", options)).toBe(dateTimeFormat("zh-CN", { ...options }));
    expect(dateTimeFormat("en-US", options)).not.toBe(dateTimeFormat("zh-CN", options));
    const date = new Date("2026-03-01T12:00:00Z");
    expect(dateTimeFormat("en-US", options).format(date)).toBe(new Intl.DateTimeFormat("en-US", options).format(date));
  });

  it("refuses an unknown time zone as the constructor does", () => {
    expect(() => dateTimeFormat("en-US", { timeZone: "Mars/Olympus" })).toThrow(RangeError);
  });
});
