import { workerBundle, type Bundle } from "./lib/bundle.js";
import { has, notYet } from "./lib/paths.js";
import { progress, runComparison } from "./lib/report.js";
import { fmt } from "./lib/stats.js";
import { table } from "./lib/table.js";

// Goal 2: what a Worker costs to ship. Deterministic, so one build per entry is enough.
const row = (name: string, b: Bundle): string[] => [
  name,
  fmt.kb(b.bytes),
  fmt.kb(b.gzip),
  b.nodeImports.join(", ") || "none",
];
// The five largest contributors, so a missed goal says what to cut.
const makeup = (b: Bundle): string =>
  b.origins
    .slice(0, 5)
    .map(([origin, bytes]) => `${origin} ${fmt.kb(bytes)}`)
    .join(", ");

await runComparison("2. Worker bundle size (esbuild, minified, gzip -9)", async (out) => {
  const rows: string[][] = [];
  const honoHello = await workerBundle("bench/fixtures/hono-hello-worker.ts", "hono-hello-worker");
  rows.push(row("hello world — Hono", honoHello));
  const honoShop = await workerBundle("bench/fixtures/hono-shop/worker.ts", "hono-shop-worker");
  rows.push(row("shop — Hono + @libsql/client/web + zod", honoShop));

  let hello: Bundle | undefined;
  if (has("cloudflare")) {
    progress("bundling the skiff hello-world Worker");
    hello = await workerBundle("bench/fixtures/skiff-hello-worker.ts", "skiff-hello-worker");
    rows.splice(1, 0, row("hello world — skiff (toCloudflare)", hello));
  }
  let shop: Bundle | undefined;
  if (has("shopWorker") && has("cloudflare")) {
    progress("bundling examples/shop/worker.ts");
    shop = await workerBundle("examples/shop/worker.ts", "skiff-shop-worker");
    rows.push(row("shop — skiff (examples/shop/worker.ts)", shop));
  }
  out.add(table(["Worker", "minified", "gzip", "node:* imports"], rows, ["l", "r", "r", "l"]));
  out.note(
    "platform neutral, format esm, conditions skiff-source/workerd/worker/browser, target es2022. " +
      "The Hono shop (bench/fixtures/hono-shop) has the same routes, zod schemas, middleware (request id, JSON log, body limit, rate limit, API key, idempotency), migrations, queue consumer and cron as examples/shop; it has no counterpart of the shop's workflows, storage trigger, change trigger and OpenAPI routes, which the skiff shop carries besides (src/workflows, src/openapi...).",
  );

  for (const [name, b] of [
    ["skiff hello", hello],
    ["skiff shop", shop],
    ["Hono shop", honoShop],
  ] as const) {
    if (b) out.note(`${name}, largest parts (minified): ${makeup(b)}`);
  }
  if (hello) {
    // What limits the hello-world goal, measured: skiff's own runtime and the libSQL client, both reachable from
    // every app (the app class registers every trigger kind, and toCloudflare wires db, crons, queues and workflows).
    const sum = (pick: (origin: string) => boolean) =>
      hello.origins.filter(([o]) => pick(o)).reduce((n, [, bytes]) => n + bytes, 0);
    const own = sum((o) => o.startsWith("src/"));
    const libsql = sum((o) => o.startsWith("@libsql/") || o === "js-base64" || o === "promise-limit");
    const hono = sum((o) => o === "hono");
    out.note(
      `skiff hello, minified: ${fmt.kb(hello.bytes)} = skiff's runtime ${fmt.kb(own)} (workflows, triggers, bindings, adapter: all reachable from new Skiff() and toCloudflare(), so no bundler can drop them) + the libSQL HTTP client ${fmt.kb(libsql)} (toCloudflare wires db for every app) + hono ${fmt.kb(hono)} + the rest. ` +
        "Reaching 1.3× needs features and bindings chosen by import (one entry per binding or trigger kind), an API change; skiff's HTTP path alone is a few KiB.",
    );
    const r = hello.gzip / honoHello.gzip;
    out.atMost(
      "bundle: skiff hello Worker ≤ 1.3× Hono hello Worker (gzip)",
      r,
      1.3,
      `${fmt.ratio(r)} (${fmt.kb(hello.gzip)} vs ${fmt.kb(honoHello.gzip)})`,
    );
  } else out.skip("bundle: skiff hello Worker ≤ 1.3× Hono", notYet("cloudflare"));
  if (shop) {
    const r = shop.gzip / honoShop.gzip;
    out.atMost(
      "bundle: skiff shop Worker ≤ 1.1× Hono + libSQL Worker (gzip)",
      r,
      1.1,
      `${fmt.ratio(r)} (${fmt.kb(shop.gzip)} vs ${fmt.kb(honoShop.gzip)})`,
    );
  } else
    out.skip(
      "bundle: skiff shop Worker ≤ 1.25× Hono + libSQL Worker",
      notYet(has("cloudflare") ? "shopWorker" : "cloudflare"),
    );
});
