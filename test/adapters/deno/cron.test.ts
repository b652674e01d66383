import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { denoCronName } from "../../../src/adapters/deno/scheduled.js";
import { latestOccurrence } from "../../../src/triggers/cron/index.js";
import { startShop } from "./support/driver.js";

type Shop = Awaited<ReturnType<typeof startShop>>;

describe("Deno.cron names", () => {
  it("are stable per expression, whatever its spacing, and differ between expressions", () => {
    expect(denoCronName(" 0  9 * * * ")).toBe(denoCronName("0 9 * * *"));
    expect(denoCronName("0 9 * * *")).not.toBe(denoCronName("0 9 * * 1"));
    // Characters Deno refuses read alike once replaced: the hash keeps them apart.
    expect(denoCronName("*/5 * * * *")).not.toBe(denoCronName("*,5 * * * *"));
  });

  it("use only what Deno allows in a name, within its 64 characters", () => {
    const long = "0,5,10,15,20,25,30,35,40,45,50,55 0,2,4,6,8,10,12,14,16,18,20,22 1-7 JAN-DEC MON-FRI";
    for (const expression of ["0 9 * * *", "*/15 9-17 * * MON-FRI", "0 9 L * *", "0 9 * * 1#2", long]) {
      const name = denoCronName(expression);
      expect(name).toMatch(/^[A-Za-z0-9 _-]{1,64}$/);
      expect(name.startsWith("skiff ")).toBe(true);
    }
  });
});

// The shop in a real deno process: its crons registered with the real Deno.cron, and fired through /__scheduled,
// which calls the handler Deno.cron was given (Deno.cron itself fires on whole minutes only).
describe("crons on Deno", () => {
  let shop: Shop;
  const url = (path: string) => `${shop.deno.url}${path}`;
  beforeAll(async () => {
    shop = await startShop("crons", { hold: true });
  });
  afterAll(async () => {
    await shop?.close();
  });

  it("registers each expression with Deno.cron under its derived name, at start-up", async () => {
    const report = (await (await fetch(url("/__test/crons"))).json()) as {
      crons: Array<{ name: string; cron: string }>;
      cronCalls: Array<{ name: string; schedule: string }>;
      confirmed: Array<{ name: string; registered: boolean }>;
    };
    expect(report.crons).toContainEqual({ name: denoCronName("0 9 * * *"), cron: "0 9 * * *" });
    expect(report.cronCalls).toEqual(report.crons.map((c) => ({ name: c.name, schedule: c.cron })));
    // A second Deno.cron under the same name is refused by Deno: the first registration is real.
    expect(report.confirmed).toEqual(report.crons.map((c) => ({ name: c.name, registered: true })));
  });

  it("runs the handler Deno.cron was given with the minute it stands for as scheduledTime", async () => {
    const before = latestOccurrence("0 9 * * *", Date.now());
    const res = await fetch(url(`/__test/run-cron?name=${encodeURIComponent(denoCronName("0 9 * * *"))}`), {
      method: "POST",
    });
    expect(await res.json()).toEqual({ ok: true });
    const after = latestOccurrence("0 9 * * *", Date.now());
    const report = (await (await fetch(url("/api/reports/latest"))).json()) as { generatedAt: string };
    expect([before, after].map((t) => new Date(t ?? 0).toISOString())).toContain(report.generatedAt);
  });

  it("fires a cron by hand through /__scheduled, with the scheduled time given", async () => {
    const at = Date.UTC(2026, 5, 1, 9, 0, 0);
    const res = await fetch(url(`/__scheduled?cron=${encodeURIComponent("0  9 * * *")}&time=${at}`));
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("Ran scheduled event");
    const report = (await (await fetch(url("/api/reports/latest"))).json()) as { generatedAt: string };
    expect(report.generatedAt).toBe(new Date(at).toISOString());
  });

  it("answers /__scheduled with problem+json: 404 for an unknown expression, 400 for an invalid one", async () => {
    const unknown = await fetch(url(`/__scheduled?cron=${encodeURIComponent("5 4 * * *")}`));
    expect(unknown.status).toBe(404);
    expect(unknown.headers.get("content-type")).toContain("application/problem+json");
    expect(((await unknown.json()) as { registered: string[] }).registered).toContain("0 9 * * *");
    const invalid = await fetch(url(`/__scheduled?cron=${encodeURIComponent("every day")}`));
    expect(invalid.status).toBe(400);
    const badTime = await fetch(url(`/__scheduled?cron=${encodeURIComponent("0 9 * * *")}&time=soon`));
    expect(badTime.status).toBe(400);
  });
});
