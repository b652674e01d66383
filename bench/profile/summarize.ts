import { readFileSync } from "node:fs";

// Self-time shares of a V8 .cpuprofile (from `node --cpu-prof`), by function and by file: what bench/http-stack.ts's
// MISSED notes quote as the limiting cause.
//   node --import tsx bench/profile/summarize.ts CPU.….cpuprofile [top=25]
interface Node {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  children?: number[];
}
const [file, top = "25"] = process.argv.slice(2);
if (!file) throw new Error("[skiff] usage: summarize.ts <file.cpuprofile> [top]");
const profile = JSON.parse(readFileSync(file, "utf8")) as { nodes: Node[]; samples: number[] };
const byId = new Map(profile.nodes.map((n) => [n.id, n]));
const self = new Map<number, number>();
for (const id of profile.samples) self.set(id, (self.get(id) ?? 0) + 1);
const total = profile.samples.length;
const short = (url: string) =>
  url.replace(/^.*node_modules\//, "").replace(/^file:\/\/\/work\/main\//, "") || "(native)";
const tally = (key: (n: Node) => string) => {
  const out = new Map<string, number>();
  for (const [id, count] of self) {
    const n = byId.get(id);
    if (n) out.set(key(n), (out.get(key(n)) ?? 0) + count);
  }
  return [...out].sort((a, b) => b[1] - a[1]).slice(0, Number(top));
};
const pct = (n: number) => `${((100 * n) / total).toFixed(1).padStart(5)}%`;
console.log(`${total} samples\n-- self time by function`);
for (const [k, n] of tally(
  (n) => `${n.callFrame.functionName || "(anonymous)"} ${short(n.callFrame.url)}:${n.callFrame.lineNumber}`,
))
  console.log(pct(n), k);
console.log("-- self time by file");
for (const [k, n] of tally((n) =>
  short(n.callFrame.url).replace(/\/[^/]*$/, (m) => (m.includes(".") ? m : m)),
))
  console.log(pct(n), k);
// Shares of the busy time (idle excluded) by layer: what a request costs where.
const layer = (n: Node) => {
  const url = n.callFrame.url;
  if (/@hono\/node-server/.test(url))
    return "@hono/node-server (IncomingMessage → Request, Response → ServerResponse)";
  if (/node_modules\/hono\//.test(url)) return "hono (router, compose, context)";
  if (/undici/.test(url)) return "undici (Headers, Request)";
  if (/esm\/|modules\/|cjs-module-lexer|tsx/.test(url)) return "module loading (tsx, start-up)";
  if (url.startsWith("node:")) return "node core (http parser, streams, events)";
  if (/\/work\/main\/(src|middleware)\//.test(url)) return "skiff (src, middleware)";
  if (/\/bench\//.test(url)) return "bench (handlers, sink)";
  return `native: ${n.callFrame.functionName}`;
};
const busy = new Map<string, number>();
let busyTotal = 0;
for (const [id, count] of self) {
  const n = byId.get(id);
  if (!n || n.callFrame.functionName === "(idle)") continue;
  const key = /^native: (writev|writeBuffer|writeUtf8String)$/.test(layer(n))
    ? "socket writes (syscalls)"
    : layer(n);
  busy.set(key, (busy.get(key) ?? 0) + count);
  busyTotal += count;
}
console.log(`-- busy time by layer (${((100 * busyTotal) / total).toFixed(1)}% of samples busy)`);
for (const [k, n] of [...busy].sort((a, b) => b[1] - a[1]).slice(0, 14))
  console.log(`${((100 * n) / busyTotal).toFixed(1).padStart(5)}%`, k);
