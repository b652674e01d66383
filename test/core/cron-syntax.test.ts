import { Cron } from "croner";
import { describe, expect, it } from "vitest";
import { validateCron } from "skiff";
import { nextRun } from "../../src/triggers/scheduler.js";
import { parseCron } from "../../src/triggers/cron/index.js";

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

describe("parseCron: the one parser every cron rule reads", () => {
  it("refuses exactly what validateCron refuses, with the same message", () => {
    for (const [expression] of INVALID) {
      let message = "";
      try {
        validateCron(expression);
      } catch (error) {
        message = (error as Error).message;
      }
      expect(message).toMatch(/^\[skiff\] /);
      expect(() => parseCron(expression)).toThrow(message);
    }
    expect(() => parseCron(42 as unknown as string)).toThrow(
      "a cron expression must be a string (got number)",
    );
  });

  it("returns each field's values, with names as numbers (months from 1, weekdays from SUN = 0)", () => {
    const fields = parseCron(" 0-30/10  9-17 1,15 jan-MAR MON-FRI/2 ");
    expect(fields.expression).toBe(" 0-30/10  9-17 1,15 jan-MAR MON-FRI/2 ");
    expect(fields.minute.values).toEqual([0, 10, 20, 30]);
    expect(fields.hour.values).toEqual([9, 10, 11, 12, 13, 14, 15, 16, 17]);
    expect(fields.dayOfMonth.values).toEqual([1, 15]);
    expect(fields.month.values).toEqual([1, 2, 3]);
    expect(fields.month.terms).toEqual([
      { kind: "range", text: "jan-MAR", from: 1, to: 3, fromName: "JAN", toName: "MAR" },
    ]);
    expect(fields.dayOfWeek.values).toEqual([1, 3, 5]);
    expect([fields.minute.any, fields.dayOfMonth.any, fields.dayOfWeek.any]).toEqual([false, false, false]);
    expect(parseCron("*/15 * * * *").minute.values).toEqual([0, 15, 30, 45]);
    expect(parseCron("* * */10 */5 *").dayOfMonth.values).toEqual([1, 11, 21, 31]);
    expect(parseCron("* * */10 */5 *").month.values).toEqual([1, 6, 11]);
  });

  it("keeps the Quartz-style terms as terms, since they depend on the month", () => {
    expect(parseCron("0 9 L,15W * *").dayOfMonth.terms).toEqual([
      { kind: "last", text: "L" },
      { kind: "nearest-weekday", text: "15W", day: 15 },
    ]);
    expect(parseCron("0 9 LW * *").dayOfMonth.terms).toEqual([{ kind: "last-weekday", text: "LW" }]);
    expect(parseCron("0 9 * * fril,MON#2").dayOfWeek.terms).toEqual([
      { kind: "last-of-month", text: "fril", weekday: 5 },
      { kind: "nth-of-month", text: "MON#2", weekday: 1, nth: 2 },
    ]);
    expect(parseCron("0 9 * * fril,MON#2").dayOfWeek.values).toEqual([]);
    expect(parseCron("0 9 * * *").dayOfWeek.any).toBe(true);
  });
});
