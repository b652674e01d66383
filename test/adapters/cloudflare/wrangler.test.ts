import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";
import { gzipSync } from "node:zlib";
import { queueBindingName } from "skiff/cloudflare";
import { parse } from "smol-toml";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { app } from "../../../examples/shop/app.js";

const root = fileURLToPath(new URL("../../..", import.meta.url));
const wrangler = join(
  dirname(createRequire(import.meta.url).resolve("wrangler/package.json")),
  "bin/wrangler.js",
);
const run = promisify(execFile);
const KiB = 1024;
// Workers' limit on the compressed script, Free plan (Paid: 10 MB). https://developers.cloudflare.com/workers/platform/limits/#worker-size
const FREE_PLAN_GZIP_LIMIT = 3 * 1024 * KiB;

interface Bundle {
  /** wrangler's own "Total Upload" figures. */
  reported: { raw: number; gzip: number };
  /** The emitted worker.js, measured here (gzip -9). */
  raw: number;
  gzip: number;
  code: string;
  inputs: string[];
}

const outdirs: string[] = [];

/** `wrangler deploy --dry-run`: bundles exactly as a deploy would, offline, and writes the bundle to `outdir`. */
async function dryRun(config: string): Promise<Bundle> {
  const outdir = mkdtempSync(join(tmpdir(), "skiff-wrangler-"));
  outdirs.push(outdir);
  const { stdout } = await run(
    process.execPath,
    [
      wrangler,
      "deploy",
      "--dry-run",
      "--outdir",
      outdir,
      "--metafile",
      join(outdir, "meta.json"),
      "--config",
      config,
    ],
    {
      cwd: root,
      timeout: 120_000,
      env: { ...process.env, WRANGLER_SEND_METRICS: "false", NO_COLOR: "1", FORCE_COLOR: "0" },
    },
  );
  const total = /Total Upload: ([\d.]+) KiB \/ gzip: ([\d.]+) KiB/.exec(stdout);
  if (!total) throw new Error(`wrangler printed no upload size:\n${stdout}`);
  const code = readFileSync(join(outdir, "worker.js"));
  const meta = JSON.parse(readFileSync(join(outdir, "meta.json"), "utf8")) as {
    inputs: Record<string, unknown>;
  };
  return {
    reported: { raw: Number(total[1]) * KiB, gzip: Number(total[2]) * KiB },
    raw: code.byteLength,
    gzip: gzipSync(code, { level: 9 }).byteLength,
    code: code.toString("utf8"),
    inputs: Object.keys(meta.inputs),
  };
}

const kib = (bytes: number) => `${(bytes / KiB).toFixed(1)} KiB`;

describe("wrangler deploy --dry-run bundles the shop Worker", () => {
  let shop: Bundle;
  let bare: Bundle;

  beforeAll(async () => {
    [shop, bare] = await Promise.all([
      dryRun("wrangler.toml"),
      dryRun("test/adapters/cloudflare/workers/fixtures/bare-hono/wrangler.toml"),
    ]);
    console.log(
      [
        "Worker bundle sizes, wrangler deploy --dry-run (Total Upload raw / gzip; worker.js gzip -9):",
        `  skiff shop (examples/shop/worker.ts): ${kib(shop.reported.raw)} / ${kib(shop.reported.gzip)} (${kib(shop.gzip)})`,
        `  bare Hono + @libsql/client/web:       ${kib(bare.reported.raw)} / ${kib(bare.reported.gzip)} (${kib(bare.gzip)})`,
        `  skiff's cost: +${kib(shop.reported.raw - bare.reported.raw)} raw, +${kib(shop.reported.gzip - bare.reported.gzip)} gzip`,
      ].join("\n"),
    );
  }, 180_000);

  afterAll(() => {
    for (const dir of outdirs) rmSync(dir, { recursive: true, force: true });
  });

  it("succeeds offline, well under the Free plan's compressed size limit", () => {
    expect(shop.raw).toBeGreaterThan(0);
    expect(shop.reported.gzip).toBeLessThan(FREE_PLAN_GZIP_LIMIT);
  });

  it("bundles the HTTP libSQL client only and no Node built-ins (wrangler.toml sets no nodejs_compat)", () => {
    expect(shop.inputs.some((f) => f.includes("@libsql/client/lib-esm/http.js"))).toBe(true);
    expect(
      shop.inputs.some((f) =>
        /@libsql\/client\/lib-esm\/(node|ws|web)\.js|node_modules\/ws\/|node_modules\/libsql\//.test(f),
      ),
    ).toBe(false);
    expect(shop.inputs.some((f) => f.startsWith("src/local/") || f.startsWith("src/adapters/node/"))).toBe(
      false,
    );
    expect(shop.code).not.toMatch(/(?:from|import|require\()\s*["']node:/);
  });

  it("costs little over the same Worker written on bare Hono", () => {
    // The shop and the baseline share zod (its JSON Schema code included), Hono and the libSQL client; what remains
    // is skiff (core + adapter, 40 KiB) and what the bare twin does not implement at all: the workflow engine (41 KB
    // minified, about 12 KiB gzip) and the shop's checkout and report workflows (about 3 KiB gzip). Issue 18 takes
    // the engine out of Workers that declare no workflow; until then every skiff Worker carries it. Issues 16/17
    // added (each piece gzipped alone, from esbuild's per-module output of examples/shop/worker.ts):
    // src/openapi/* + middleware/openapi 10.2 KiB (the /docs page and its script 4.8 KiB of it), src/triggers/changes/*
    // 5.5 KiB, src/bindings/buckets/* (R2) 2.0 KiB, src/triggers/storage/* 1.8 KiB, and the shop's thumbnails (its
    // PNG encoder) and userChanges sub-apps 3.2 KiB. Measured on 2026-12-01: +80.3 KiB gzip over bare Hono.
    expect(shop.reported.gzip - bare.reported.gzip).toBeLessThan((40 + 16 + 10 + 6 + 4 + 3 + 4) * KiB);
  });
});

describe("wrangler.toml matches what the shop app registers", () => {
  interface Consumer {
    queue: string;
    max_batch_size?: number;
    max_batch_timeout?: number;
    max_retries?: number;
    dead_letter_queue?: string;
    retry_delay?: number;
  }
  const config = parse(readFileSync(join(root, "wrangler.toml"), "utf8")) as unknown as {
    main: string;
    compatibility_date: string;
    compatibility_flags?: string[];
    alias?: Record<string, string>;
    triggers?: { crons?: string[] };
    kv_namespaces?: Array<{ binding: string }>;
    queues?: { producers?: Array<{ binding: string; queue: string }>; consumers?: Consumer[] };
  };

  it("deploys examples/shop/worker.ts, resolving the package's own imports to its sources", () => {
    expect(config.main).toBe("examples/shop/worker.ts");
    expect(config.alias).toEqual({
      skiff: "./src/index.ts",
      "skiff/cloudflare": "./src/adapters/cloudflare/index.ts",
      "skiff/middleware": "./middleware/index.ts",
    });
    expect(config.compatibility_flags ?? []).not.toContain("nodejs_compat");
  });

  it("declares every cron the app registers, and no other", () => {
    expect([...(config.triggers?.crons ?? [])].sort()).toEqual([...app.triggers.crons.keys()].sort());
  });

  it("declares a producer per app queue under toCloudflare's default binding name, and the KV binding", () => {
    const producers = Object.fromEntries((config.queues?.producers ?? []).map((p) => [p.queue, p.binding]));
    expect(producers).toEqual(
      Object.fromEntries([...app.triggers.schemas.keys()].map((q) => [q, queueBindingName(q)])),
    );
    expect(config.kv_namespaces?.map((k) => k.binding)).toEqual(["KV"]);
  });

  it("configures each consumer with the app's batch size, batch timeout, retries, retry delay and dead-letter queue", () => {
    const consumers = config.queues?.consumers ?? [];
    expect(consumers.map((c) => c.queue).sort()).toEqual([...app.triggers.queues.keys()].sort());
    for (const [name, { options }] of app.triggers.queues) {
      const consumer = consumers.find((c) => c.queue === name);
      expect(consumer, name).toMatchObject({
        max_batch_size: options.maxBatchSize,
        max_batch_timeout: options.maxBatchTimeoutSeconds,
        // Equal, so skiff dead-letters on the last delivery Cloudflare makes; Cloudflare's DLQ is the backstop.
        max_retries: options.maxRetries,
      });
      expect(consumer?.dead_letter_queue, name).toBe(options.deadLetter);
      expect(consumer?.retry_delay ?? 0, name).toBe(options.retryDelaySeconds);
    }
  });
});
