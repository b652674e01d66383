import { fork } from "node:child_process";
import { TS_FLAGS, startServer, type ChildServer } from "../lib/child.js";
import { ENDPOINTS } from "../http/endpoints.js";
import { load } from "../http/load.js";
import { cpuMsOf } from "../http/latency.js";
import { fromRoot } from "../lib/paths.js";

// The like-for-like rows of bench/http-stack.ts only, on one endpoint, alternating rounds: a quicker A/B while
// working on the request path. BENCH_ENDPOINT picks the endpoint by index (0 plain text), BENCH_PROF=1 writes a
// .cpuprofile per server into /tmp/skiff-prof (read them with bench/profile/summarize.ts).
//   BENCH_ROUNDS=5 BENCH_HTTP_SECONDS=2 node --conditions=skiff-source --import tsx bench/profile/http-ab.ts
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);
const SECONDS = Number(process.env.BENCH_HTTP_SECONDS ?? 2);
const endpoint = ENDPOINTS[Number(process.env.BENCH_ENDPOINT ?? 0)]!;
const SERVERS: Record<string, [string, Record<string, string>]> = {
  "node:http": ["node-server.ts", {}],
  hono: ["hono-server.ts", {}],
  "skiff bare": ["skiff-server.ts", { BENCH_STACK: "bare" }],
  "hono stack": ["hono-server.ts", { BENCH_STACK: "requestId+logger" }],
  "skiff stack": ["skiff-server.ts", {}],
};
const only = process.env.BENCH_ONLY?.split(",");
const names = Object.keys(SERVERS).filter((n) => !only || only.includes(n));
const servers: Record<string, ChildServer> = {};
for (const n of names) {
  const [script, env] = SERVERS[n]!;
  servers[n] = await (process.env.BENCH_PROF ? profiled : startServer)(fromRoot(`bench/http/${script}`), env);
}
const samples: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
const cpu: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
for (const n of names) await load(servers[n]!, endpoint, 1);
for (let r = 0; r < ROUNDS; r++)
  for (const n of r % 2 ? [...names].reverse() : names) {
    const before = cpuMsOf(servers[n]!.pid);
    const rps = await load(servers[n]!, endpoint, SECONDS);
    samples[n]!.push(rps);
    cpu[n]!.push(((cpuMsOf(servers[n]!.pid) - before) * 1000) / (rps * SECONDS));
  }
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? NaN;
const m = Object.fromEntries(names.map((n) => [n, median(samples[n]!)]));
const c = Object.fromEntries(names.map((n) => [n, median(cpu[n]!)]));
for (const n of names)
  console.log(
    `${n.padEnd(12)} ${String(Math.round(m[n]!)).padStart(6)} req/s  ${c[n]!.toFixed(1).padStart(5)} µs CPU/req  [${samples[n]!.map(Math.round).join(", ")}]`,
  );
// req/s ratios, and (in brackets) the same ratio computed from the server's CPU time per request, which the shared
// machine's noise and the load generator's own limit disturb far less.
const ratio = (a: string, b: string) =>
  m[a] && m[b] ? `${(m[a]! / m[b]!).toFixed(2)}× (CPU ${(c[b]! / c[a]!).toFixed(2)}×)` : "-";
console.log(
  `${endpoint.name}: skiff stack / hono stack ${ratio("skiff stack", "hono stack")}, skiff bare / hono ${ratio("skiff bare", "hono")}, skiff bare / node:http ${ratio("skiff bare", "node:http")}`,
);
await Promise.all(Object.values(servers).map((s) => s.stop()));

// User + system CPU of a process so far, in ms, from /proc (Linux clock ticks of 10 ms).

// --cpu-prof is refused in NODE_OPTIONS: fork the server with it on the command line. The profile is written when the
// child exits (SIGTERM from stop(), which serve() handles by exiting).
function profiled(script: string, env: Record<string, string>): Promise<ChildServer> {
  const child = fork(script, [], {
    execArgv: [...TS_FLAGS, "--cpu-prof", "--cpu-prof-dir=/tmp/skiff-prof"],
    env: { ...process.env, NODE_ENV: "production", ...env },
    stdio: ["ignore", "ignore", "inherit", "ipc"],
  });
  const stop = () =>
    new Promise<void>((resolve) => {
      child.once("exit", () => resolve());
      child.kill("SIGTERM");
    });
  return new Promise((resolve, reject) => {
    child.once("message", (m: { port?: number }) =>
      resolve({ url: `http://127.0.0.1:${m.port}`, info: {}, pid: child.pid ?? 0, stop }),
    );
    child.once("exit", (code) => reject(new Error(`${script} exited with code ${code}`)));
  });
}
