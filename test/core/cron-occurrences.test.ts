import { Cron } from "croner";
import { describe, expect, it } from "vitest";
import { latestOccurrence, nextOccurrence, parseCron, WEEKDAYS } from "../../src/triggers/cron/index.js";

const MINUTE = 60_000;
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());
const at = (text: string) => Date.parse(text);

// croner was what the local scheduler and the CLI ran on; skiff's own search must give the same runs.
const croner = (expression: string) =>
  new Cron(expression, { timezone: "UTC", mode: "5-part", paused: true });

// A small deterministic generator (mulberry32), so a failure names an expression that can be replayed.
function random(seed: number) {
  let a = seed;
  const next = () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => items[int(0, items.length - 1)] as T;
  return { next, int, pick };
}

type Random = ReturnType<typeof random>;
const MONTH_NAMES = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"];

function plainTerm(r: Random, min: number, max: number, name?: (n: number) => string): string {
  const v = (n: number) => (name && r.next() < 0.5 ? name(n) : String(n));
  const a = r.int(min, max);
  const b = r.int(a, max);
  switch (r.int(0, 4)) {
    case 0:
      return v(a);
    case 1:
      return `${v(a)}-${v(b)}`;
    case 2:
      return `*/${r.int(1, Math.min(max - min, 20))}`;
    case 3:
      return `${v(a)}-${v(b)}/${r.int(1, 7)}`;
    default:
      return [v(a), v(b), v(r.int(min, max))].join(",");
  }
}

function dayOfMonth(r: Random): string {
  switch (r.int(0, 9)) {
    case 0:
      return "L";
    case 1:
      return "LW";
    case 2:
      return `${r.int(1, 31)}W`;
    case 3:
      return `L,${r.int(1, 28)}`;
    case 4:
      return `${r.int(1, 31)}W,${r.int(1, 31)}`;
    case 5:
    case 6:
      return plainTerm(r, 1, 31);
    default:
      return "*";
  }
}

function dayOfWeek(r: Random): string {
  const day = () => r.pick(WEEKDAYS);
  switch (r.int(0, 9)) {
    case 0:
      return `${day()}L`;
    case 1:
      return `${day()}#${r.int(1, 5)}`;
    case 2:
      return `${day()}#${r.int(1, 5)},${day()}`;
    case 3:
      return `${day()}L,${day()}#${r.int(1, 4)}`;
    case 4:
    case 5:
      return plainTerm(r, 0, 6, (n) => WEEKDAYS[n] as string).replace(
        /\b\d\b/g,
        (d) => WEEKDAYS[Number(d)] as string,
      );
    default:
      return "*";
  }
}

function expressionOf(r: Random): string {
  const minute = r.next() < 0.2 ? "*" : plainTerm(r, 0, 59);
  const hour = r.next() < 0.3 ? "*" : plainTerm(r, 0, 23);
  const month = r.next() < 0.6 ? "*" : plainTerm(r, 1, 12, (n) => MONTH_NAMES[n - 1] as string);
  return `${minute} ${hour} ${dayOfMonth(r)} ${month} ${dayOfWeek(r)}`;
}

function generated(count: number, seed: number): string[] {
  const r = random(seed);
  const out: string[] = [];
  while (out.length < count) {
    const expression = expressionOf(r);
    try {
      parseCron(expression); // a generated range can run backwards, e.g. a name after a number
      out.push(expression);
    } catch {
      // not an expression skiff accepts: skip it
    }
  }
  return out;
}

const HANDWRITTEN = [
  "* * * * *",
  "*/30 * * * *",
  "0 17 * * SUN",
  "10 7 * * mon-fri",
  "0 18 * * FRIL",
  "59 23 LW * *",
  "0 9 L * *",
  "0 9 15W * *",
  "0 9 1W * *",
  "0 9 31W * *",
  "0 10 * * MON#2",
  "0 10 * * MON#5",
  "*/10 9-17 * * MON-FRI",
  "0 0 1,15 JAN,JUL *",
  "0-30/10 * * * *",
  "0 0 29 2 *",
  "0 0 13 * FRI",
  "0 12 L * SAT",
  "5 4 * * SUN#1,SAT",
  "0 0 * * */2",
  "30 6 1-7 * MON",
  "0 0 31 */2 *",
];

describe("next occurrence: what the local scheduler and the CLI run on, as croner computed it", () => {
  it("matches croner on a few hundred expressions (L, W, #, lists, steps, ranges, names) and instants", () => {
    const r = random(7);
    const expressions = [...HANDWRITTEN, ...generated(300, 13)];
    const instants = [
      at("2026-01-01T00:00:00Z"),
      at("2027-12-31T23:59:59.999Z"),
      at("2028-02-28T23:59:30Z"), // before a leap day
      at("2026-03-31T09:00:00Z"), // on an occurrence: the next one comes after it
    ];
    let compared = 0;
    const cronerSkipped: string[] = [];
    for (const expression of expressions) {
      const job = croner(expression);
      for (const t of [...instants, r.int(at("2000-01-01T00:00:00Z"), at("2090-01-01T00:00:00Z"))]) {
        compared++;
        const expected = job.nextRun(new Date(t))?.getTime() ?? null;
        const ours = nextOccurrence(expression, t);
        if (ours === expected) continue;
        // croner 11 skips March 1st when it searches from the end of a leap February with a stepped
        // day-of-month ("0 1 *\/3 * *" from 2028-02-28T23:59:30Z gives March 4th), though its own match() accepts
        // March 1st. Such a difference must be an earlier true run: croner matches it and no minute before it.
        expect({
          expression,
          from: iso(t),
          ours: iso(ours),
          matches: ours !== null && job.match(new Date(ours)),
        }).toEqual({ expression, from: iso(t), ours: iso(ours), matches: true });
        expect((ours as number) < (expected ?? Number.POSITIVE_INFINITY)).toBe(true);
        for (let m = Math.floor(t / MINUTE) * MINUTE + MINUTE; m < (ours as number); m += MINUTE)
          expect(job.match(new Date(m)), `${expression} at ${iso(m)}`).toBe(false);
        cronerSkipped.push(`${expression} from ${iso(t)}`);
      }
    }
    expect(cronerSkipped.every((c) => c.endsWith("from 2028-02-28T23:59:30.000Z"))).toBe(true);
    expect(cronerSkipped.length).toBeLessThan(compared / 100);
    expect(compared).toBeGreaterThanOrEqual(1_500);
  });

  it("follows croner over a run of consecutive occurrences", () => {
    for (const expression of [
      "0 9 15W * *",
      "59 23 LW * *",
      "0 18 * * FRIL",
      "0 10 * * MON#5",
      "0 12 L * SAT",
    ]) {
      const expected = croner(expression)
        .nextRuns(24, new Date("2026-01-01T00:00:00Z"))
        .map((d) => d.getTime());
      const ours: number[] = [];
      let t = at("2026-01-01T00:00:00Z");
      for (let i = 0; i < 24; i++) ours.push((t = nextOccurrence(expression, t) ?? Number.NaN));
      expect(ours.map(iso)).toEqual(expected.map(iso));
    }
  });

  it("applies Quartz's day rules: nearest weekday within the month, last weekday, nth and last weekday of the month", () => {
    // 2026-08-01 is a Saturday, 2026-05-31 a Sunday, 2026-02-28 a Saturday.
    expect(iso(nextOccurrence("0 9 1W * *", at("2026-07-31T12:00:00Z")))).toBe("2026-08-03T09:00:00.000Z");
    expect(iso(nextOccurrence("0 9 31W * *", at("2026-05-01T00:00:00Z")))).toBe("2026-05-29T09:00:00.000Z");
    expect(iso(nextOccurrence("0 9 LW * *", at("2026-02-01T00:00:00Z")))).toBe("2026-02-27T09:00:00.000Z");
    expect(iso(nextOccurrence("0 9 L * *", at("2028-02-01T00:00:00Z")))).toBe("2028-02-29T09:00:00.000Z");
    // March 2026 has five Mondays (30th); April 2026 has four, so MON#5 skips it.
    expect(iso(nextOccurrence("0 10 * * MON#5", at("2026-03-31T00:00:00Z")))).toBe(
      "2026-06-29T10:00:00.000Z",
    );
    // Both day fields restricted: either matches (standard cron); one of them "*": the other decides.
    expect(iso(nextOccurrence("0 0 13 * FRI", at("2026-01-01T00:00:00Z")))).toBe("2026-01-02T00:00:00.000Z");
    expect(iso(nextOccurrence("0 0 * * FRI", at("2026-01-01T00:00:00Z")))).toBe("2026-01-02T00:00:00.000Z");
    expect(iso(nextOccurrence("0 0 13 * *", at("2026-01-01T00:00:00Z")))).toBe("2026-01-13T00:00:00.000Z");
  });

  it("finds a leap day across a non-leap century and gives null, quickly, for a day that never comes", () => {
    expect(iso(nextOccurrence("0 0 29 2 *", at("2097-01-01T00:00:00Z")))).toBe("2104-02-29T00:00:00.000Z");
    const started = Date.now();
    expect(nextOccurrence("0 0 30 2 *", at("2026-01-01T00:00:00Z"))).toBeNull();
    expect(latestOccurrence("0 0 31 APR *", at("2026-01-01T00:00:00Z"))).toBeNull();
    expect(croner("0 0 30 2 *").nextRun(new Date("2026-01-01T00:00:00Z"))).toBeNull();
    expect(Date.now() - started).toBeLessThan(2_000);
  });

  it("takes parsed fields or the expression, and refuses an invalid expression as parseCron does", () => {
    const fields = parseCron("0 9 * * *");
    expect(nextOccurrence(fields, new Date("2026-01-01T10:00:00Z"))).toBe(at("2026-01-02T09:00:00Z"));
    expect(() => nextOccurrence("0 9 * * 1-5", 0)).toThrow(/use names such as MON-FRI/);
  });
});

describe("latest occurrence: the run a late invocation stands for", () => {
  it("is the last minute at or before the instant that croner matches, for the same expressions", () => {
    const r = random(11);
    const expressions = [...HANDWRITTEN, ...generated(200, 17)];
    let compared = 0;
    for (const expression of expressions) {
      const job = croner(expression);
      const t = r.int(at("2001-01-01T00:00:00Z"), at("2080-01-01T00:00:00Z"));
      const latest = latestOccurrence(expression, t);
      expect(latest, expression).not.toBeNull();
      const l = latest as number;
      expect(l, expression).toBeLessThanOrEqual(t);
      expect(job.match(new Date(l)), `${expression} at ${iso(l)}`).toBe(true);
      // Nothing in between: croner's next run after it is past the instant.
      const after = job.nextRun(new Date(l))?.getTime() ?? Number.POSITIVE_INFINITY;
      expect(after, `${expression} after ${iso(l)}`).toBeGreaterThan(Math.floor(t / MINUTE) * MINUTE);
      compared++;
    }
    expect(compared).toBe(expressions.length);
  });

  it("includes the instant's own minute and looks back across months and years", () => {
    expect(iso(latestOccurrence("0 9 * * *", at("2026-01-02T09:00:59Z")))).toBe("2026-01-02T09:00:00.000Z");
    expect(iso(latestOccurrence("0 9 * * *", at("2026-01-02T08:59:59Z")))).toBe("2026-01-01T09:00:00.000Z");
    expect(iso(latestOccurrence("0 18 * * FRIL", at("2026-01-01T00:00:00Z")))).toBe(
      "2025-12-26T18:00:00.000Z",
    );
    expect(iso(latestOccurrence("0 0 29 2 *", at("2026-01-01T00:00:00Z")))).toBe("2024-02-29T00:00:00.000Z");
  });
});
