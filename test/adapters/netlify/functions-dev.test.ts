import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { ContractDriver } from "../../contract/driver.js";
import { functionsDevDriver } from "./support/functions-dev.js";

// The committed example site (examples/shop/netlify.toml and the generated examples/shop/netlify/functions) in
// Netlify's own local emulation, @netlify/functions-dev: Netlify's bundler reads each function's in-source config
// (path, schedule) and Netlify's runtime builds the Context. Each invocation rebuilds the function (5-10 s on a busy
// machine), so this file makes two; the whole contract runs in-process in contract.test.ts.
describe("the example site in Netlify's local emulation (@netlify/functions-dev)", () => {
  let driver: ContractDriver;
  beforeAll(async () => {
    driver = await functionsDevDriver();
  }, 60_000);
  afterAll(() => driver?.close());

  it("runs the scheduled function of the daily report for the occurrence before next_run, and the HTTP function serves it", async () => {
    const at = Date.UTC(2026, 0, 2, 9, 0, 0);
    await driver.fireCron("0 9 * * *", at);
    const res = await driver.fetch(new Request("http://shop.test/api/reports/latest"));
    expect(res.status).toBe(200);
    expect(((await res.json()) as { generatedAt: string }).generatedAt).toBe(new Date(at).toISOString());
  }, 60_000);
});
