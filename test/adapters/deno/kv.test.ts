import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { DENO, denoFlags, ROOT } from "./support/deno.js";

const CASES = [
  "stores text, JSON and bytes and reads them back as asked",
  "honours expirationTtl on read and in list, and hands Deno expireIn",
  "lists by prefix in byte order, a page at a time with a cursor",
  "orders keys by UTF-8 bytes, as Cloudflare does",
  "enforces Cloudflare's limits everywhere, with messages that say what is wrong",
  "stores values up to Deno KV's 64 KiB and refuses larger ones naming the limit",
  "keeps its keys under its namespace in Deno KV",
  "sends a batch in one atomic commit: delay, keysIfUndelivered and backoff on each message",
  "refuses a message over Deno KV's 64 KiB as Deno stores it, before Deno would",
];

// The KV contract runs inside deno, on a real Deno KV database; each case's outcome comes back as a JSON line.
describe("kv and the queue transport on Deno KV (in a real deno process)", () => {
  const dir = mkdtempSync(join(tmpdir(), "skiff-deno-kv-"));
  const outcomes = new Map<string, { ok: boolean; error?: string }>();
  let output = "";
  beforeAll(() => {
    const result = spawnSync(DENO, ["run", ...denoFlags(dir), "test/adapters/deno/fixtures/kv-suite.ts"], {
      cwd: ROOT,
      encoding: "utf8",
      env: {
        PATH: process.env.PATH ?? "",
        HOME: process.env.HOME ?? "",
        NO_COLOR: "1",
        DENO_KV_PATH: join(dir, "kv.sqlite3"),
      },
      timeout: 30_000,
    });
    output = result.stdout + result.stderr;
    for (const line of result.stdout.split("\n")) {
      if (!line.startsWith("{")) continue;
      const parsed = JSON.parse(line) as { case: string; ok: boolean; error?: string };
      outcomes.set(parsed.case, parsed);
    }
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it.each(CASES)("%s", (name) => {
    expect(outcomes.get(name), output).toEqual({ case: name, ok: true });
  });
});
