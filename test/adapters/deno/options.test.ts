import { describe, expect, it } from "vitest";
import { Skiff } from "skiff";
import { toDeno } from "../../../src/adapters/deno/index.js";
import { denoListen } from "../../../src/adapters/deno/options.js";

// Options are checked when toDeno() is called, before anything of Deno is needed, so a bad one is named at once.
describe("toDeno options", () => {
  const app = new Skiff();

  it("refuses a bad option, naming it", () => {
    expect(() => toDeno(app, { kv: "redis" as "deno" })).toThrow(
      '[skiff] toDeno: kv must be "deno" or "libsql"',
    );
    expect(() => toDeno(app, { batchWindowMs: -1 })).toThrow(
      "batchWindowMs must be a number of milliseconds",
    );
    expect(() => toDeno(app, { backoffSchedule: [1, 2, 3, 4, 5, 6] })).toThrow("at most 5");
    expect(() => toDeno(app, { backoffSchedule: [3_600_001] })).toThrow("3,600,000");
  });

  it("says to run the entry with deno when there is no global Deno (here: Node)", () => {
    expect(() => toDeno(app)).toThrow("[skiff] toDeno: the global Deno is missing: run this entry with deno");
  });

  it("listens on the options, else PORT and HOST, else 0.0.0.0:8000, and refuses a PORT that is no port", () => {
    expect(denoListen({}, {})).toEqual({ hostname: "0.0.0.0", port: 8000 });
    expect(denoListen({}, { PORT: "3000", HOST: "127.0.0.1" })).toEqual({
      hostname: "127.0.0.1",
      port: 3000,
    });
    expect(denoListen({ port: 0, hostname: "::1" }, { PORT: "3000" })).toEqual({ hostname: "::1", port: 0 });
    expect(() => denoListen({}, { PORT: "http" })).toThrow(/PORT is "http", not a port number/);
  });
});
