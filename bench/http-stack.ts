import { TS_FLAGS, run, startServer, type ChildServer } from "./lib/child.js";
import { ENDPOINTS, type Endpoint } from "./http/endpoints.js";
import { atFixedRate, cpuMsOf, peakRssOf, requests, rssOf } from "./http/latency.js";
import { CONNECTIONS, checkAnswers, load } from "./http/load.js";
import { fromRoot } from "./lib/paths.js";
import { progress, runComparison, type SectionBuilder } from "./lib/report.js";
import { alternate, fmt, median, spread } from "./lib/stats.js";
import { table } from "./lib/table.js";

// Issue 18 on Node: like for like (the same middleware on both sides), against bare node:http, the shop's stack
// against Fastify with the equivalent plugins, latency at a fixed load, and memory per 10,000 requests.
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
// The like-for-like goals compare near-equal servers: more rounds, so one noisy round moves the median less.
const LIKE_ROUNDS = Math.max(ROUNDS, 5);
const FIXED_RATE = Number(process.env.BENCH_FIXED_RATE ?? 2000);
const MEMORY_REQUESTS = 10_000;

const SERVERS = {
  "node:http": ["node-server.ts", {}],
  hono: ["hono-server.ts", {}],
  "skiff, no middleware": ["skiff-server.ts", { BENCH_STACK: "bare" }],
  "Hono + hono/request-id + JSON logger": ["hono-server.ts", { BENCH_STACK: "requestId+logger" }],
  "skiff requestId() + logger()": ["skiff-server.ts", {}],
  "skiff, shop stack": ["shop-skiff-server.ts", {}],
  "Fastify, shop stack": ["shop-fastify-server.ts", {}],
} as const satisfies Record<string, readonly [string, Record<string, string>]>;
type Name = keyof typeof SERVERS;

async function start(names: readonly Name[]): Promise<Record<Name, ChildServer>> {
  const servers = {} as Record<Name, ChildServer>;
  for (const name of names) {
    const [script, env] = SERVERS[name];
    servers[name] = await startServer(fromRoot(`bench/http/${script}`), env);
    await checkAnswers(name, servers[name]);
  }
  return servers;
}

/** req/s per endpoint for `names`, alternating rounds; returns the medians by endpoint and contender. */
async function throughput(
  out: SectionBuilder,
  servers: Record<Name, ChildServer>,
  names: readonly Name[],
  heading: string,
  ratios: ReadonlyArray<readonly [label: string, Name, Name]>,
  rounds = ROUNDS,
): Promise<Array<Record<Name, number>>> {
  const medians: Array<Record<Name, number>> = [];
  const rows: string[][] = [];
  const cpuRows: string[][] = [];
  for (const e of ENDPOINTS) {
    progress(`${heading}, ${e.name}: ${rounds} rounds × ${SECONDS} s per contender`);
    for (const n of names) await load(servers[n], e, 1);
    // The server's own CPU time per request as well: steadier than req/s on a shared machine, where the load
    // generator and other processes take turns on the same cores.
    const cpu = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<Name, number[]>;
    const samples = await alternate(names, rounds, async (n) => {
      const before = cpuMsOf(servers[n].pid);
      const rps = await load(servers[n], e, SECONDS);
      cpu[n].push(((cpuMsOf(servers[n].pid) - before) * 1000) / (rps * SECONDS));
      return rps;
    });
    const m = Object.fromEntries(names.map((n) => [n, median(samples[n])])) as Record<Name, number>;
    const c = Object.fromEntries(names.map((n) => [n, median(cpu[n])])) as Record<Name, number>;
    medians.push(m);
    rows.push([
      e.name,
      ...names.map((n) => `${fmt.int(m[n])} ${fmt.pct(spread(samples[n]))}`),
      ...ratios.map(([, a, b]) => fmt.ratio(m[a] / m[b])),
    ]);
    cpuRows.push([
      e.name,
      ...names.map((n) => c[n].toFixed(1)),
      // Fewer µs per request is faster: the ratio is the other side's CPU over this side's, as req/s ratios read.
      ...ratios.map(([, a, b]) => fmt.ratio(c[b] / c[a])),
    ]);
  }
  const aligns = ["l" as const, ...names.map(() => "r" as const), ...ratios.map(() => "r" as const)];
  out.add(table([`${heading} (req/s, median)`, ...names, ...ratios.map(([label]) => label)], rows, aligns));
  out.add(
    table(
      [`${heading} (server CPU µs per request, median)`, ...names, ...ratios.map(([label]) => label)],
      cpuRows,
      aligns,
    ),
  );
  return medians;
}

// The same stacks called in one process through their fetch (bench/profile/middleware.ts): the framework's own CPU
// per request, without sockets and the load generator, whose noise on a shared machine is larger than the gaps.
async function inProcess(out: SectionBuilder): Promise<void> {
  progress("like for like in process (app.fetch in a loop)");
  const stdout = await run(process.execPath, [...TS_FLAGS, fromRoot("bench/profile/middleware.ts")], {
    env: { BENCH_JSON: "1", BENCH_ROUNDS: String(Math.max(ROUNDS, 5)), NODE_ENV: "production" },
    timeoutMs: 180_000,
  });
  const line = stdout.split("\n").find((l) => l.startsWith("BENCH_IN_PROCESS "));
  if (!line) throw new Error(`bench/profile/middleware.ts printed no result: ${stdout.slice(-300)}`);
  const us = JSON.parse(line.slice("BENCH_IN_PROCESS ".length)) as Record<string, number>;
  const pairs: Array<[string, string, string]> = [
    ["no middleware", "skiff, no middleware", "hono, no middleware"],
    ["request id + JSON request line", "skiff requestId() + logger()", "hono + request-id + JSON logger"],
    ["request id only", "skiff requestId() only", "hono + request-id only"],
    ["JSON request line only", "skiff logger() only", "hono + JSON logger only"],
  ];
  out.add(
    table(
      ["in process, plain text (CPU µs per request, median)", "skiff", "Hono", "skiff speed / Hono"],
      pairs.map(([label, a, b]) => [
        label,
        (us[a] ?? NaN).toFixed(2),
        (us[b] ?? NaN).toFixed(2),
        fmt.ratio((us[b] ?? NaN) / (us[a] ?? NaN)),
      ]),
      ["l", "r", "r", "r"],
    ),
  );
}

const figure = (values: number[]) => `${values.map(fmt.ratio).join(" / ")} (text / params+query / POST)`;

await runComparison("7. HTTP like for like on Node (issue 18)", async (out) => {
  const names = Object.keys(SERVERS) as Name[];
  const servers = await start(names);
  try {
    const like: Name[] = [
      "node:http",
      "hono",
      "skiff, no middleware",
      "Hono + hono/request-id + JSON logger",
      "skiff requestId() + logger()",
    ];
    const m = await throughput(
      out,
      servers,
      like,
      "like for like",
      [
        ["skiff bare / Hono", "skiff, no middleware", "hono"],
        ["skiff stack / Hono stack", "skiff requestId() + logger()", "Hono + hono/request-id + JSON logger"],
        ["skiff bare / node:http", "skiff, no middleware", "node:http"],
      ],
      LIKE_ROUNDS,
    );
    out.note(
      `${LIKE_ROUNDS} rounds × ${SECONDS} s per contender and endpoint, alternating order, ${CONNECTIONS} connections, NODE_ENV=production. ` +
        "Both loggers hand the same request record to a sink that formats it as a JSON line and drops it (bench/http/json-logger.ts); " +
        "node:http routes by hand (bench/http/node-server.ts).",
    );
    await inProcess(out);
    const bare = m.map((r) => r["skiff, no middleware"] / r.hono);
    const stack = m.map((r) => r["skiff requestId() + logger()"] / r["Hono + hono/request-id + JSON logger"]);
    const node =
      (m[0] as Record<Name, number>)["skiff, no middleware"] / (m[0] as Record<Name, number>)["node:http"];
    out.atLeast(
      "like for like: skiff, no middleware ≥ 1.0× bare Hono (every endpoint)",
      Math.min(...bare),
      1.0,
      figure(bare),
    );
    out.atLeast(
      "like for like: skiff requestId + logger ≥ 1.0× Hono + hono/request-id + the same JSON logger (every endpoint)",
      Math.min(...stack),
      1.0,
      figure(stack),
    );
    out.atLeast(
      "Node stretch: skiff, no middleware ≥ 0.9× bare node:http (plain text)",
      node,
      0.9,
      fmt.ratio(node),
    );

    const shop: Name[] = ["skiff, shop stack", "Fastify, shop stack"];
    await throughput(out, servers, shop, "shop stack", [
      ["skiff/Fastify", "skiff, shop stack", "Fastify, shop stack"],
    ]);
    out.note(
      `skiff: ${String(servers["skiff, shop stack"].info.stack)}. Fastify: ${String(servers["Fastify, shop stack"].info.stack)}. ` +
        "The rate limits are high enough never to reject during a run: what is measured is their cost. skiff's counter is exact and " +
        "shared (a libSQL row per client, in :memory: here); @fastify/rate-limit's default store is per process.",
    );

    await latency(out, servers, [
      "hono",
      "skiff requestId() + logger()",
      "skiff, shop stack",
      "Fastify, shop stack",
    ]);
    await memory(out, servers, names);
  } finally {
    await Promise.all(Object.values<ChildServer>(servers).map((s) => s.stop()));
  }
});

async function latency(
  out: SectionBuilder,
  servers: Record<Name, ChildServer>,
  names: readonly Name[],
): Promise<void> {
  const endpoints = [ENDPOINTS[0], ENDPOINTS[2]] as Endpoint[];
  const rows: string[][] = [];
  for (const n of names) {
    const cells: string[] = [n];
    for (const e of endpoints) {
      progress(`latency at ${FIXED_RATE} req/s: ${n}, ${e.name}`);
      const r = await atFixedRate(servers[n], e, FIXED_RATE, 5);
      cells.push(`${r.p50} ms`, `${r.p99} ms`);
    }
    rows.push(cells);
  }
  out.add(
    table(
      [
        `at a fixed ${fmt.int(FIXED_RATE)} req/s for 5 s`,
        ...endpoints.flatMap((e) => [`${e.name} p50`, `${e.name} p99`]),
      ],
      rows,
      ["l", "r", "r", "r", "r"],
    ),
  );
}

async function memory(
  out: SectionBuilder,
  servers: Record<Name, ChildServer>,
  names: readonly Name[],
): Promise<void> {
  const rows: string[][] = [];
  const e = ENDPOINTS[2] as Endpoint;
  for (const n of names) {
    progress(`memory: ${n}, ${fmt.int(MEMORY_REQUESTS)} × ${e.name}`);
    const server = servers[n];
    const before = rssOf(server.pid);
    await requests(server, e, MEMORY_REQUESTS);
    const after = rssOf(server.pid);
    rows.push([n, fmt.mib(before), fmt.mib(after), fmt.mib(after - before), fmt.mib(peakRssOf(server.pid))]);
  }
  out.add(
    table(
      [
        `memory (RSS), ${fmt.int(MEMORY_REQUESTS)} more ${e.name} requests`,
        "before",
        "after",
        "grown",
        "peak (whole run)",
      ],
      rows,
      ["l", "r", "r", "r", "r"],
    ),
  );
  out.note(
    "RSS from /proc after every contender has served the throughput and latency rounds above (warm heaps).",
  );
}
