import { Cron } from "croner";
import { describe, expect, it } from "vitest";
import { validateCron } from "skiff";
import { nextRun } from "../src/local/scheduler.js";

const VALID = [
  "* * * * *",
  "*/30 * * * *",
  "45 * * * *",
  "0 17 * * SUN",
  "10 7 * * mon-fri",
  "0 15 1 * *",
  "0 18 * * FRIL",
  "59 23 LW * *",
  "0 9 L * *",
  "0 9 15W * *",
  "0 10 * * MON#2",
  "*/10 9-17 * * MON-FRI",
  "0 0 1,15 JAN,JUL *",
  "0-30/10 * * * *",
  "0 9 * * *",
];

const INVALID: Array<[string, RegExp]> = [
  ["0 9 * *", /must have 5 fields/],
  ["0 0 9 * * *", /must have 5 fields/],
  ["@daily", /must have 5 fields/],
  ["60 * * * *", /minute 60 is outside 0-59/],
  ["0 24 * * *", /hour 24 is outside 0-23/],
  ["0 0 0 * *", /day-of-month 0 is outside 1-31/],
  ["0 0 * 13 *", /month 13 is outside 1-12/],
  ["0 9 * * 1-5", /numeric day-of-week "1" means different days.*use names such as MON-FRI/],
  ["0 9 * * 0", /numeric day-of-week/],
  ["5/10 * * * *", /a step needs "\*" or a range/],
  ["*/0 * * * *", /positive integer/],
  ["10-5 * * * *", /runs backwards/],
  ["0 9 * * FUNDAY", /not a valid day-of-week/],
  ["0 9 ,1 * *", /empty list item/],
  ["0 9 * * MON#6", /not a valid day-of-week/],
];

describe("cron expressions: one portable syntax, validated at registration", () => {
  it.each(VALID)("accepts %s", (expression) => {
    expect(() => validateCron(expression)).not.toThrow();
  });

  it.each(INVALID)("refuses %s, saying why", (expression, why) => {
    expect(() => validateCron(expression)).toThrow(why);
    expect(() => validateCron(expression)).toThrow(`"${expression}"`);
  });

  it("accepts only what the scheduler (croner) can also run, so local runs match validation", () => {
    for (const expression of VALID) {
      expect(() => new Cron(expression, { timezone: "UTC", mode: "5-part", paused: true })).not.toThrow();
    }
  });

  it("computes next runs in UTC with names meaning the same day as on Cloudflare", () => {
    const from = new Date("2026-01-01T00:00:00Z"); // a Thursday
    expect(nextRun("0 17 * * SUN", from)?.toISOString()).toBe("2026-01-04T17:00:00.000Z");
    expect(nextRun("0 18 * * FRIL", from)?.toISOString()).toBe("2026-01-30T18:00:00.000Z");
    expect(nextRun("0 10 * * MON#2", from)?.toISOString()).toBe("2026-01-12T10:00:00.000Z");
  });
});
