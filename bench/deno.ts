import { DENO, DENO_FLAGS, startDeno, type DenoChild } from "./deno/child.js";
import { ENDPOINTS } from "./http/endpoints.js";
import { CONNECTIONS, checkAnswers as check, load } from "./http/load.js";
import { run } from "./lib/child.js";
import { fromRoot } from "./lib/paths.js";
import { progress, runComparison, type SectionBuilder } from "./lib/report.js";
import { alternate, fmt, median, spread } from "./lib/stats.js";
import { table } from "./lib/table.js";

// Issue 15, Deno: req/s of skiff/deno against bare Hono on Deno.serve in the same run (autocannon in this Node
// process, each server in its own deno process), and the start-up of both.
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const STARTUP_ROUNDS = Number(process.env.BENCH_STARTUP_ROUNDS ?? 7);
const CONTENDERS = ["skiff", "hono"] as const;
type Contender = (typeof CONTENDERS)[number];
const SCRIPT: Record<Contender, string> = {
  skiff: "bench/deno/skiff-server.ts",
  hono: "bench/deno/hono-server.ts",
};

async function throughput(out: SectionBuilder): Promise<void> {
  const servers = {} as Record<Contender, DenoChild>;
  try {
    for (const name of CONTENDERS) {
      servers[name] = await startDeno(SCRIPT[name]);
      await check(name, servers[name]);
    }
    progress("warming up (1 s per contender and endpoint)");
    for (const e of ENDPOINTS) for (const name of CONTENDERS) await load(servers[name], e, 1);
    const rows: string[][] = [];
    const ratios: number[] = [];
    for (const e of ENDPOINTS) {
      progress(`${e.name}: ${ROUNDS} rounds × ${SECONDS} s per contender`);
      const samples = await alternate(CONTENDERS, ROUNDS, (name) => load(servers[name], e, SECONDS));
      const ratio = median(samples.skiff) / median(samples.hono);
      ratios.push(ratio);
      rows.push([
        e.name,
        ...CONTENDERS.map((k) => `${fmt.int(median(samples[k]))} ${fmt.pct(spread(samples[k]))}`),
        fmt.ratio(ratio),
      ]);
    }
    out.add(
      table(["Deno.serve, endpoint (req/s, median)", ...CONTENDERS, "skiff/Hono"], rows, [
        "l",
        "r",
        "r",
        "r",
      ]),
    );
    out.note(
      `${ROUNDS} rounds × ${SECONDS} s per contender and endpoint, alternating order, ${CONNECTIONS} connections. ` +
        `skiff: ${String(servers.skiff.ready.stack)}; Hono: no middleware.`,
    );
    out.note(
      `skiff's full stack / bare Hono: ${ratios.map(fmt.ratio).join(" / ")} (text / params+query / POST), unlike stacks (skiff logs each request); the goal below compares like for like.`,
    );
    const bare = await breakdown(out, servers.hono, servers.skiff);
    out.atLeast(
      "Deno HTTP, like for like: skiff/deno with no middleware ≥ 0.95× bare Hono on Deno.serve (every endpoint)",
      Math.min(...bare),
      0.95,
      `${bare.map(fmt.ratio).join(" / ")} (text / params+query / POST)`,
    );
  } finally {
    await Promise.all(Object.values<DenoChild>(servers).map((s) => s.stop()));
  }
}

// Where skiff/deno's time goes on each endpoint: bare Hono, skiff with no middleware (the adapter, bindings and
// error handler) and skiff's full stack, alternated in the same rounds.
async function breakdown(out: SectionBuilder, hono: DenoChild, skiff: DenoChild): Promise<number[]> {
  const bare: number[] = [];
  const skiffBare = await startDeno(SCRIPT.skiff, { BENCH_STACK: "bare" });
  try {
    const servers = { hono, "skiff, no middleware": skiffBare, "skiff, full stack": skiff };
    const names = Object.keys(servers) as Array<keyof typeof servers>;
    const rows: string[][] = [];
    for (const e of ENDPOINTS) {
      progress(`breakdown on ${e.name}: ${ROUNDS} rounds × ${SECONDS} s`);
      await load(skiffBare, e, 1);
      const samples = await alternate(names, ROUNDS, (name) => load(servers[name], e, SECONDS));
      const base = median(samples.hono);
      bare.push(median(samples["skiff, no middleware"]) / base);
      rows.push([
        e.name,
        ...names.map((n) => `${fmt.int(median(samples[n]))} (${fmt.ratio(median(samples[n]) / base)})`),
      ]);
    }
    out.add(table(["breakdown (req/s, vs bare Hono)", ...names], rows, ["l", "r", "r", "r"]));
    return bare;
  } finally {
    await skiffBare.stop();
  }
}

// A fresh deno process per round, timed from spawn to the first 200 of GET /hello.
async function startup(out: SectionBuilder): Promise<void> {
  progress(`start-up: ${STARTUP_ROUNDS} fresh deno processes per contender`);
  const samples = await alternate(CONTENDERS, STARTUP_ROUNDS, async (name) => {
    const t0 = performance.now();
    const server = await startDeno(SCRIPT[name]);
    try {
      const res = await fetch(`${server.url}/hello`);
      if (res.status !== 200) throw new Error(`${name}: ${res.status}`);
      await res.text();
      return performance.now() - t0;
    } finally {
      await server.stop();
    }
  });
  out.add(
    table(
      ["start-up (spawn → first response)", "skiff/deno", "Hono", "skiff/Hono"],
      [
        [
          "fresh `deno run` on the TypeScript source",
          `${fmt.ms(median(samples.skiff))} ${fmt.pct(spread(samples.skiff))}`,
          `${fmt.ms(median(samples.hono))} ${fmt.pct(spread(samples.hono))}`,
          fmt.ratio(median(samples.skiff) / median(samples.hono)),
        ],
      ],
      ["l", "r", "r", "r"],
    ),
  );
}

// The same three handlers called in a loop inside one deno process: what each request costs the framework, without
// the socket and the load generator, which share this machine's cores with the server in the table above.
async function inProcess(out: SectionBuilder): Promise<void> {
  progress("in-process handler cost (app.fetch in a loop, in deno)");
  const stdout = await run(DENO, [...DENO_FLAGS, fromRoot("bench/deno/in-process.ts")], {
    env: { BENCH_ROUNDS: String(ROUNDS) },
    timeoutMs: 180_000,
  });
  const line = stdout.split("\n").find((l) => l.startsWith('{"ready":true'));
  if (!line) throw new Error(`bench/deno/in-process.ts printed no report: ${stdout.slice(-300)}`);
  const report = JSON.parse(line) as {
    n: number;
    rounds: number;
    results: Record<string, Record<string, number[]>>;
  };
  const names = ["hono", "skiff, no middleware", "skiff, full stack"];
  const rows = Object.entries(report.results).map(([endpoint, samples]) => {
    const base = median(samples.hono ?? []);
    return [
      endpoint,
      ...names.map((n) => {
        const m = median(samples[n] ?? []);
        return `${m.toFixed(1)} µs ${fmt.pct(spread(samples[n] ?? []))} (${fmt.ratio(base / m)})`;
      }),
    ];
  });
  out.add(table(["in-process, µs per request (throughput vs Hono)", ...names], rows, ["l", "r", "r", "r"]));
  out.note(
    `${report.rounds} alternating rounds of ${report.n} requests per contender and endpoint, after a warm-up round.`,
  );
}

await runComparison("9. Deno: skiff/deno vs Hono on Deno.serve", async (out) => {
  const version = (await run(DENO, ["--version"])).split("\n")[0] ?? "deno";
  progress(version);
  await throughput(out);
  await inProcess(out);
  await startup(out);
  out.note(`${version}; each server in its own process, on the TypeScript sources (deno run, skiff-source).`);
});
