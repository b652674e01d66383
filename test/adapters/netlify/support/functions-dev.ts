import { cpSync, mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient as createWebClient } from "@libsql/client/web";
import { Reactive } from "@netlify/dev-utils";
import { FunctionsHandler } from "@netlify/functions-dev";
import { Database, nextOccurrence } from "skiff/adapter";
import { serveHrana } from "skiff/local";
import { parse } from "smol-toml";
import { bundle } from "../../../../src/cli/bundle/bundle.js";
import { netlifyCronName } from "../../../../src/cli/targets/netlify/functions.js";
import { CONTRACT_API_KEY_SHA256, type ContractDriver } from "../../../contract/driver.js";
import { tempDbUrl } from "../../../contract/node-driver.js";
import { queueSide } from "../../../contract/queue-side.js";

const root = new URL("../../../..", import.meta.url).pathname;
const SHOP = join(root, "examples", "shop");

/**
 * The example site as Netlify's own local emulation runs it (@netlify/functions-dev, what `netlify dev` uses): the
 * committed examples/shop/netlify.toml and the generated function files of examples/shop/netlify/functions,
 * unchanged, bundled by Netlify's zip-it-and-ship-it and invoked in a worker thread each, with the Context Netlify's
 * runtime builds. Only the entry is pre-bundled (this repository resolves `skiff/*` to its TypeScript sources, which
 * Netlify's bundler would not); a user's site imports the published package instead.
 */
export async function functionsDevDriver(): Promise<ContractDriver> {
  const site = mkdtempSync(join(tmpdir(), "skiff-netlify-site-"));
  await bundle({
    root,
    entry: join(SHOP, "netlify", "skiff.ts"),
    outDir: join(site, "netlify"),
    outFile: "skiff.js",
    runtime: "node",
    conditions: ["node"],
  });
  cpSync(join(SHOP, "netlify", "functions"), join(site, "netlify", "functions"), { recursive: true });
  cpSync(join(SHOP, "netlify.toml"), join(site, "netlify.toml"));
  writeFileSync(join(site, "package.json"), JSON.stringify({ type: "module" }));

  const hrana = await serveHrana({ url: tempDbUrl("skiff-netlify-dev"), port: 0 });
  // Each invocation's worker thread starts with a copy of this process's env, as a function sees the site's variables.
  process.env.TURSO_DATABASE_URL = hrana.url;
  process.env.SHOP_API_KEY_SHA256 = CONTRACT_API_KEY_SHA256;
  const handler = new FunctionsHandler({
    config: new Reactive(parse(readFileSync(join(site, "netlify.toml"), "utf8"))),
    destPath: join(site, ".netlify", "functions-serve"),
    projectRoot: site,
    settings: {},
    geolocation: { city: "Paris", country: { code: "FR", name: "France" } },
    userFunctionsPath: "netlify/functions",
    siteId: "site-1",
  });
  const invoke = async (request: Request): Promise<Response> => {
    const url = new URL(request.url);
    const local = new Request(`http://localhost:8888${url.pathname}${url.search}`, request);
    local.headers.set("x-forwarded-for", "203.0.113.9");
    const match = await handler.match(local);
    if (!match) throw new Error(`no Netlify function serves ${url.pathname}`);
    return match.handle(local);
  };
  const run = async (name: string, nextRun: number | undefined) => {
    const response = await invoke(
      new Request(`http://localhost:8888/.netlify/functions/${name}`, {
        method: "POST",
        body: JSON.stringify(nextRun === undefined ? {} : { next_run: new Date(nextRun).toISOString() }),
      }),
    );
    if (!response.ok) throw new Error(`${name} answered ${response.status}: ${await response.text()}`);
  };
  const db = new Database(() => createWebClient({ url: hrana.url, intMode: "number" }));
  const side = queueSide(db);
  return {
    platform: "netlify",
    fetch: invoke,
    fireCron: (expression, scheduledTime) =>
      run(netlifyCronName(expression), nextOccurrence(expression, scheduledTime) ?? undefined),
    async deliver(queue, messages) {
      await side.enqueue(queue, messages);
      await run(`skiff-queues?queue=${encodeURIComponent(queue)}&batches=1`, undefined);
      return side.settlements(queue, messages);
    },
    sent: side.sent,
    async close() {
      db.close();
      await hrana.close();
    },
  };
}
