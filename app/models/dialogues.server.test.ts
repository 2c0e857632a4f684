import { describe, expect, it } from "vitest";
import { displayStatus } from "./dialogues.server";

describe("a dialogue's status follows the clock", () => {
  const now = new Date("2026-12-06T12:00:00Z");

  it("lists a scheduled dialogue whose day has passed (in U.S. Eastern time) as held", () => {
    expect(displayStatus({ status: "scheduled", startsAt: null, startsOn: "2026-12-05" }, now)).toBe("held");
    // Still 6 December in New York at 12:00 UTC (07:00 EST): not over yet.
    expect(displayStatus({ status: "scheduled", startsAt: null, startsOn: "2026-12-06" }, now)).toBe("scheduled");
    expect(displayStatus({ status: "scheduled", startsAt: null, startsOn: "2026-12-06" }, new Date("2026-12-07T04:59:00Z"))).toBe("scheduled");
    expect(displayStatus({ status: "scheduled", startsAt: null, startsOn: "2026-12-06" }, new Date("2026-12-07T05:01:00Z"))).toBe("held");
  });

  it("counts a dialogue with a time as held once its length has passed", () => {
    const startsAt = new Date("2026-12-06T11:00:00Z");
    expect(displayStatus({ status: "scheduled", startsAt, startsOn: null, durationMinutes: 120 }, now)).toBe("scheduled");
    expect(displayStatus({ status: "scheduled", startsAt, startsOn: null, durationMinutes: 30 }, now)).toBe("held");
  });

  it("keeps a dialogue with no date, or cancelled, as stored", () => {
    expect(displayStatus({ status: "tbd", startsAt: null, startsOn: null }, now)).toBe("tbd");
    expect(displayStatus({ status: "cancelled", startsAt: null, startsOn: "2020-01-01" }, now)).toBe("cancelled");
    expect(displayStatus({ status: "scheduled", startsAt: null, startsOn: null }, now)).toBe("scheduled");
  });
});
