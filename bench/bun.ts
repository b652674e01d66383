import { BUN, startBun, type BunChild } from "./bun/child.js";
import { ENDPOINTS } from "./http/endpoints.js";
import { CONNECTIONS, checkAnswers as check, load } from "./http/load.js";
import { run } from "./lib/child.js";
import { bundle } from "../src/cli/bundle/bundle.js";
import { fromRoot, outDir } from "./lib/paths.js";
import { progress, runComparison, type SectionBuilder } from "./lib/report.js";
import { alternate, fmt, median, spread } from "./lib/stats.js";
import { table } from "./lib/table.js";

// Issue 15, Bun: req/s of skiff/bun against bare Hono on Bun.serve in the same run (autocannon in this Node
// process, each server in its own bun process), start-up of both, and the two backends of a file: database.
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const STARTUP_ROUNDS = Number(process.env.BENCH_STARTUP_ROUNDS ?? 7);
const CONTENDERS = ["skiff", "hono"] as const;
type Contender = (typeof CONTENDERS)[number];
const SCRIPT: Record<Contender, string> = {
  skiff: "bench/bun/skiff-server.ts",
  hono: "bench/bun/hono-server.ts",
};
// The throughput table adds skiff without its request-id and logger middleware: what the adapter and core cost.
const HTTP_CONTENDERS = ["skiff", "skiff bare", "hono"] as const;
type HttpContender = (typeof HTTP_CONTENDERS)[number];

async function throughput(out: SectionBuilder): Promise<void> {
  const servers = {} as Record<HttpContender, BunChild>;
  try {
    servers.skiff = await startBun(SCRIPT.skiff);
    servers["skiff bare"] = await startBun(SCRIPT.skiff, { BENCH_STACK: "bare" });
    servers.hono = await startBun(SCRIPT.hono);
    await check("skiff", servers.skiff);
    await check("hono", servers.hono);
    progress("warming up (1 s per contender and endpoint)");
    for (const e of ENDPOINTS) for (const name of HTTP_CONTENDERS) await load(servers[name], e, 1);
    const rows: string[][] = [];
    const ratios: number[] = [];
    const bare: number[] = [];
    for (const e of ENDPOINTS) {
      progress(`${e.name}: ${ROUNDS} rounds × ${SECONDS} s per contender`);
      const samples = await alternate(HTTP_CONTENDERS, ROUNDS, (name) => load(servers[name], e, SECONDS));
      const m = (k: HttpContender) => median(samples[k]);
      ratios.push(m("skiff") / m("hono"));
      bare.push(m("skiff bare") / m("hono"));
      rows.push([
        e.name,
        ...HTTP_CONTENDERS.map((k) => `${fmt.int(m(k))} ${fmt.pct(spread(samples[k]))}`),
        fmt.ratio(m("skiff") / m("hono")),
        fmt.ratio(m("skiff bare") / m("hono")),
      ]);
    }
    out.add(
      table(
        ["Bun.serve, endpoint (req/s, median)", ...HTTP_CONTENDERS, "skiff/Hono", "skiff bare/Hono"],
        rows,
        ["l", "r", "r", "r", "r", "r"],
      ),
    );
    out.note(
      `${ROUNDS} rounds × ${SECONDS} s per contender and endpoint, alternating order, ${CONNECTIONS} connections, NODE_ENV=production. ` +
        `skiff: ${String(servers.skiff.ready.stack)}; skiff bare: ${String(servers["skiff bare"].ready.stack)}; Hono: no middleware.`,
    );
    out.note(
      `skiff's full stack / bare Hono: ${ratios.map(fmt.ratio).join(" / ")} (text / params+query / POST), unlike stacks (skiff logs each request); the goal compares like for like.`,
    );
    out.atLeast(
      "Bun HTTP, like for like: skiff/bun with no middleware ≥ 0.95× bare Hono on Bun.serve (every endpoint)",
      Math.min(...bare),
      0.95,
      `${bare.map(fmt.ratio).join(" / ")} (text / params+query / POST)`,
    );
  } finally {
    await Promise.all(Object.values<BunChild>(servers).map((s) => s.stop()));
  }
}

// Both servers bundled as `skiff build --target bun` bundles (esbuild, minified, one file): what a deployment starts.
async function bundles(): Promise<Record<Contender, string>> {
  const out = {} as Record<Contender, string>;
  for (const name of CONTENDERS) {
    const result = await bundle({
      root: fromRoot("."),
      entry: fromRoot(SCRIPT[name]),
      outDir: outDir(`bun-startup/${name}`),
      outFile: "server.mjs",
      runtime: "node",
      target: "esnext",
      conditions: ["bun", "node"],
    });
    out[name] = result.main;
  }
  return out;
}

// A fresh bun process per round, timed from spawn to the first 200 of GET /hello.
async function firstResponse(name: Contender, script: string): Promise<number> {
  const t0 = performance.now();
  const server = await startBun(script);
  try {
    const res = await fetch(`${server.url}/hello`);
    if (res.status !== 200) throw new Error(`${name}: ${res.status}`);
    await res.text();
    return performance.now() - t0;
  } finally {
    await server.stop();
  }
}

async function startup(out: SectionBuilder): Promise<void> {
  const bundled = await bundles();
  const rows: string[][] = [];
  const ratios: Record<string, number> = {};
  for (const [label, scripts] of [
    ["bundle (`bun server.mjs`, as `skiff build --target bun` writes it)", bundled],
    ["TypeScript source (`bun app.ts`, transpiled at start)", SCRIPT],
  ] as const) {
    progress(`start-up, ${label}: ${STARTUP_ROUNDS} fresh bun processes per contender`);
    const samples = await alternate(CONTENDERS, STARTUP_ROUNDS, (name) => firstResponse(name, scripts[name]));
    const ratio = median(samples.skiff) / median(samples.hono);
    ratios[label] = ratio;
    rows.push([
      label,
      `${fmt.ms(median(samples.skiff))} ${fmt.pct(spread(samples.skiff))}`,
      `${fmt.ms(median(samples.hono))} ${fmt.pct(spread(samples.hono))}`,
      fmt.ratio(ratio),
    ]);
  }
  out.add(
    table(["start-up: spawn → first response (median)", "skiff/bun", "Hono", "skiff/Hono"], rows, [
      "l",
      "r",
      "r",
      "r",
    ]),
  );
  out.note(
    `${STARTUP_ROUNDS} fresh processes per contender and row, alternating. skiff's start includes opening its database (bun:sqlite, in memory) before it listens.`,
  );
}

interface DbReport {
  bun: string;
  n: number;
  rounds: number;
  results: Array<{
    workload: string;
    libsql: { ms: number; spread: number };
    bunSqlite: { ms: number; spread: number };
  }>;
}

async function database(out: SectionBuilder): Promise<void> {
  progress("file: database, libSQL client vs bun:sqlite (through skiff's Database, in bun)");
  const stdout = await run(BUN, ["--no-install", "--conditions=skiff-source", "bench/bun/db.ts"], {
    env: { BENCH_BUN_DB_DIR: outDir("bun-db") },
    timeoutMs: 120_000,
  });
  const line = stdout.split("\n").find((l) => l.startsWith('{"ready":true'));
  if (!line) throw new Error(`bench/bun/db.ts printed no report: ${stdout.slice(-300)}`);
  const report = JSON.parse(line) as DbReport;
  const cell = (s: { ms: number; spread: number }) => `${fmt.ms(s.ms)} ${fmt.pct(s.spread)}`;
  out.add(
    table(
      ["file: database on Bun (median)", "libSQL client", "bun:sqlite", "libSQL / bun:sqlite"],
      report.results.map((r) => [
        r.workload,
        cell(r.libsql),
        cell(r.bunSqlite),
        fmt.ratio(r.libsql.ms / r.bunSqlite.ms),
      ]),
      ["l", "r", "r", "r"],
    ),
  );
  out.note(
    `Bun ${report.bun}, ${report.rounds} alternating rounds, WAL, synchronous=FULL on both; a ratio above 1× means bun:sqlite is faster. ` +
      "skiff/bun opens file: databases with bun:sqlite.",
  );
}

await runComparison("8. Bun: skiff/bun vs Hono on Bun.serve", async (out) => {
  await throughput(out);
  await startup(out);
  await database(out);
});
