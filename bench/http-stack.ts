import { startServer, type ChildServer } from "./lib/child.js";
import { ENDPOINTS, type Endpoint } from "./http/endpoints.js";
import { atFixedRate, peakRssOf, requests, rssOf } from "./http/latency.js";
import { CONNECTIONS, checkAnswers, load } from "./http/load.js";
import { fromRoot } from "./lib/paths.js";
import { progress, runComparison, type SectionBuilder } from "./lib/report.js";
import { alternate, fmt, median, spread } from "./lib/stats.js";
import { table } from "./lib/table.js";

// Issue 18 on Node: like for like (the same middleware on both sides), against bare node:http, the shop's stack
// against Fastify with the equivalent plugins, latency at a fixed load, and memory per 10,000 requests.
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 3);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
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
): Promise<Array<Record<Name, number>>> {
  const medians: Array<Record<Name, number>> = [];
  const rows: string[][] = [];
  for (const e of ENDPOINTS) {
    progress(`${heading}, ${e.name}: ${ROUNDS} rounds × ${SECONDS} s per contender`);
    for (const n of names) await load(servers[n], e, 1);
    const samples = await alternate(names, ROUNDS, (n) => load(servers[n], e, SECONDS));
    const m = Object.fromEntries(names.map((n) => [n, median(samples[n])])) as Record<Name, number>;
    medians.push(m);
    rows.push([
      e.name,
      ...names.map((n) => `${fmt.int(m[n])} ${fmt.pct(spread(samples[n]))}`),
      ...ratios.map(([, a, b]) => fmt.ratio(m[a] / m[b])),
    ]);
  }
  out.add(
    table([`${heading} (req/s, median)`, ...names, ...ratios.map(([label]) => label)], rows, [
      "l",
      ...names.map(() => "r" as const),
      ...ratios.map(() => "r" as const),
    ]),
  );
  return medians;
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
    const m = await throughput(out, servers, like, "like for like", [
      ["skiff bare / Hono", "skiff, no middleware", "hono"],
      ["skiff stack / Hono stack", "skiff requestId() + logger()", "Hono + hono/request-id + JSON logger"],
      ["skiff bare / node:http", "skiff, no middleware", "node:http"],
    ]);
    out.note(
      `${ROUNDS} rounds × ${SECONDS} s per contender and endpoint, alternating order, ${CONNECTIONS} connections, NODE_ENV=production. ` +
        "Both loggers hand the same request record to a sink that formats it as a JSON line and drops it (bench/http/json-logger.ts); " +
        "node:http routes by hand (bench/http/node-server.ts).",
    );
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
