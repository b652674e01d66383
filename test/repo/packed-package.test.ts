import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import ts from "typescript";
import { afterAll, describe, expect, it } from "vitest";

// The published package must work on its own: `npm pack`, install the tarball (with hono, its peer) in a project
// outside this repository, import every subpath from plain Node ESM (no `skiff-source` condition, so dist/), serve
// a route through skiff/node and skiff/lambda, and run the `skiff` bin. Every step has its own time limit, and the
// steps of one test fit in its 300 s: about 15 s in all alone, but npm alone can take 20 s on an overloaded machine.
const repo = fileURLToPath(new URL("../..", import.meta.url));
const pkg = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as {
  name: string;
  files: string[];
  exports: Record<string, string | Record<string, string>>;
  bin: Record<string, string>;
  scripts: Record<string, string>;
};
// The user's Hono is another version than the one skiff is developed on (the lowest minor of the peer range):
// installed from npm's cache, where `npm ci` put it as the `hono-4-12` alias.
const userHono = (
  JSON.parse(readFileSync(join(repo, "node_modules/hono-4-12/package.json"), "utf8")) as { version: string }
).version;
// The optional peer dependencies of skiff/azure and skiff/gcp, at the versions developed on (from npm's cache).
const platformPeers = Object.fromEntries(
  ["@azure/functions", "@google-cloud/functions-framework"].map((name) => [
    name,
    (
      JSON.parse(readFileSync(join(repo, "node_modules", name, "package.json"), "utf8")) as {
        version: string;
      }
    ).version,
  ]),
);
const work = mkdtempSync(join(tmpdir(), "skiff-packed-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

// npm run by `npm test` passes its own settings down as npm_* variables; a nested npm must not inherit the
// repository's prefix (it would install into the repository), only where the cache and registry are.
const KEEP =
  /^npm_config_(cache|registry|userconfig|globalconfig|https?_proxy|proxy|noproxy|cafile|ca|strict_ssl)$/i;
const env = Object.fromEntries(
  Object.entries(process.env).filter(([key]) => !/^(npm_|init_cwd$)/i.test(key) || KEEP.test(key)),
);

function run(command: string, args: string[], cwd: string, timeoutMs: number): string {
  const result = spawnSync(command, args, {
    cwd,
    env,
    encoding: "utf8",
    timeout: timeoutMs,
    maxBuffer: 64 << 20,
  });
  if (result.status !== 0) {
    const why = result.error ? String(result.error) : `exit ${result.status}`;
    throw new Error(`${command} ${args.join(" ")} (in ${cwd}): ${why}\n${result.stdout}\n${result.stderr}`);
  }
  return result.stdout;
}

const npm = process.platform === "win32" ? "npm.cmd" : "npm";
const packedPaths = (json: string): string[] =>
  (JSON.parse(json) as Array<{ files: Array<{ path: string }> }>)[0]!.files.map((file) => file.path);
const exportTargets = (): string[] =>
  Object.values(pkg.exports).flatMap((target) =>
    typeof target === "string"
      ? [target]
      : Object.entries(target)
          .filter(([condition]) => condition !== "skiff-source")
          .map(([, path]) => path),
  );

/** Packs the package: npm's own file selection (from `files`), with dist/ built fresh by the build's tsconfig. */
function pack(): { tarball: string; files: string[] } {
  const selected = packedPaths(run(npm, ["pack", "--dry-run", "--json", "--ignore-scripts"], repo, 60_000));
  const stage = join(work, "stage");
  for (const path of selected) {
    if (path.startsWith("dist/")) continue; // possibly stale here; built below
    mkdirSync(dirname(join(stage, path)), { recursive: true });
    cpSync(join(repo, path), join(stage, path));
  }
  // `npm run build` is `tsc -p tsconfig.build.json`; the type-check is `npm run typecheck`'s job, so skip it here.
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  run(
    process.execPath,
    [tsc, "-p", join(repo, "tsconfig.build.json"), "--outDir", join(stage, "dist"), "--noCheck"],
    repo,
    150_000,
  );
  const out = run(npm, ["pack", "--json", "--ignore-scripts", "--pack-destination", work], stage, 60_000);
  const filename = (JSON.parse(out) as Array<{ filename: string }>)[0]!.filename;
  return { tarball: join(work, filename), files: packedPaths(out) };
}

// Subpaths that only load on workerd: they import its built-in modules (`cloudflare:*`), which Node's ESM loader
// refuses. Node checks what is around them instead: their only bare imports are those built-ins, and every relative
// module they import loads in plain Node.
const WORKERD_ONLY: Record<string, string[]> = {
  "./cloudflare/workflows": ["cloudflare:workers", "cloudflare:workflows"],
};
const specifierOf = (subpath: string) => (subpath === "." ? "skiff" : `skiff/${subpath.slice(2)}`);

const APP = `import { Skiff } from "skiff";
import { bearerAuth } from "hono/bearer-auth";
export const app = new Skiff();
app.get("/ping", (c) => c.json({ pong: true }));
app.get("/private", bearerAuth({ token: "t" }), (c) => c.text("secret"));
`;

// Runs in the scratch project with plain \`node\`: dist/ through the exports map, as a user's server would.
// WORKERD and RELATIVE are filled in by the test: the workerd-only subpaths, and the file URLs of what they import.
const CHECK = `import { readFileSync } from "node:fs";
const manifest = JSON.parse(readFileSync("node_modules/skiff/package.json", "utf8"));
const WORKERD = new Set(__WORKERD__);
const subpaths = {};
const workerd = {};
for (const subpath of Object.keys(manifest.exports)) {
  if (subpath === "./package.json") continue;
  const specifier = subpath === "." ? "skiff" : "skiff/" + subpath.slice(2);
  if (WORKERD.has(subpath)) {
    workerd[specifier] = await import(specifier).then(() => "loaded", (error) => error.code);
    continue;
  }
  subpaths[specifier] = Object.keys(await import(specifier)).length;
}
const relative = {};
for (const url of __RELATIVE__) relative[url] = Object.keys(await import(url)).length;
const { Skiff } = await import("skiff");
const { serve } = await import("skiff/node");
const { toLambda } = await import("skiff/lambda");
const { bearerAuth } = await import("hono/bearer-auth");
const app = new Skiff();
app.get("/ping", (c) => c.json({ pong: true }));
app.get("/private", bearerAuth({ token: "t" }), (c) => c.text("secret"));

const server = await serve(app, {
  hostname: "127.0.0.1",
  port: 0,
  database: { url: "file:" + process.cwd() + "/node.db" },
  scheduler: false,
  queues: false,
  handleSignals: false,
  testScheduled: false,
});
let node;
try {
  const ping = await fetch(server.url + "/ping", { signal: AbortSignal.timeout(10_000) });
  const denied = await fetch(server.url + "/private", { signal: AbortSignal.timeout(10_000) });
  node = {
    status: ping.status,
    body: await ping.json(),
    denied: { status: denied.status, type: denied.headers.get("content-type"), challenge: denied.headers.get("www-authenticate") },
  };
} finally {
  await server.close();
}

const handler = toLambda(app);
const event = {
  version: "2.0", routeKey: "$default", rawPath: "/ping", rawQueryString: "", headers: { host: "example.com" },
  requestContext: { accountId: "1", apiId: "a", domainName: "example.com", domainPrefix: "example", requestId: "r1",
    routeKey: "$default", stage: "$default", time: "01/Jan/2026:00:00:00 +0000", timeEpoch: 0,
    http: { method: "GET", path: "/ping", protocol: "HTTP/1.1", sourceIp: "127.0.0.1", userAgent: "test" } },
  isBase64Encoded: false,
};
const result = await handler(event, { functionName: "f", awsRequestId: "r1", getRemainingTimeInMillis: () => 30_000 });
console.log(JSON.stringify({ subpaths, workerd, relative, node, lambda: { status: result.statusCode, body: JSON.parse(result.body) } }));
`;

describe("the packed package works on its own", { timeout: 300_000 }, () => {
  let packed: { tarball: string; files: string[] };
  const scratch = join(work, "project");

  it("packs what the exports map and the bin point to, and no tests", () => {
    packed = pack();
    const missing = [...exportTargets(), ...Object.values(pkg.bin)]
      .map((path) => path.replace(/^\.\//, ""))
      .filter((path) => !packed.files.includes(path));
    expect(missing, "exports/bin targets not in the tarball").toEqual([]);
    expect(packed.files.filter((path) => /\.test\.|^test\//.test(path))).toEqual([]);
  });

  it("builds dist/ whenever npm packs or publishes (dist/ is not in git, so a fresh clone has none)", () => {
    expect(pkg.scripts.prepack ?? "(none)", 'package.json scripts: "prepack": "npm run build"').toMatch(
      /\bbuild\b|tsc -p tsconfig\.build\.json/,
    );
  });

  it("installs outside the repository, with the project's own Hono as the only copy", () => {
    mkdirSync(scratch, { recursive: true });
    writeFileSync(
      join(scratch, "package.json"),
      JSON.stringify({
        name: "scratch",
        private: true,
        type: "module",
        skiff: { app: "app.ts" },
        // The optional peers of skiff/azure and skiff/gcp, as a user of those adapters installs them.
        dependencies: { skiff: `file:${packed.tarball}`, hono: userHono, ...platformPeers },
      }),
    );
    run(
      npm,
      ["install", "--prefer-offline", "--no-audit", "--no-fund", "--no-package-lock"],
      scratch,
      240_000,
    );
    const installed = JSON.parse(readFileSync(join(scratch, "node_modules/skiff/package.json"), "utf8")) as {
      name: string;
    };
    expect(installed.name).toBe(pkg.name);
    // A peer dependency: skiff uses the project's Hono, so its HTTPException and route() types are the user's.
    expect(() => readFileSync(join(scratch, "node_modules/skiff/node_modules/hono/package.json"))).toThrow();
    const hono = JSON.parse(readFileSync(join(scratch, "node_modules/hono/package.json"), "utf8")) as {
      version: string;
    };
    expect(hono.version).toBe(userHono);
  });

  it("imports every subpath from plain Node and serves a route through skiff/node and skiff/lambda", () => {
    // The imports of each workerd-only module, read from its packed file by TypeScript's scanner (not a regex: the
    // JSDoc examples kept in dist/ hold import statements too).
    const relativeUrls: string[] = [];
    for (const [subpath, builtins] of Object.entries(WORKERD_ONLY)) {
      const target = pkg.exports[subpath];
      const file = join(
        scratch,
        "node_modules/skiff",
        typeof target === "string" ? target : (target?.default ?? "(no default condition)"),
      );
      const imports = ts
        .preProcessFile(readFileSync(file, "utf8"), true, true)
        .importedFiles.map((ref) => ref.fileName);
      const [relative, bare] = [
        imports.filter((name) => name.startsWith(".")),
        imports.filter((name) => !name.startsWith(".")),
      ];
      expect([...new Set(bare)].sort(), `bare imports of ${subpath}`).toEqual(builtins);
      expect(relative.length, `relative imports of ${subpath}`).toBeGreaterThan(0);
      relativeUrls.push(...relative.map((name) => pathToFileURL(join(dirname(file), name)).href));
    }
    writeFileSync(
      join(scratch, "check.mjs"),
      CHECK.replace("__WORKERD__", JSON.stringify(Object.keys(WORKERD_ONLY))).replace(
        "__RELATIVE__",
        JSON.stringify(relativeUrls),
      ),
    );
    const lines = run(process.execPath, ["check.mjs"], scratch, 60_000).trim().split("\n");
    const report = JSON.parse(lines[lines.length - 1]!) as {
      subpaths: Record<string, number>;
      workerd: Record<string, string>;
      relative: Record<string, number>;
      node: { status: number; body: unknown; denied: { status: number; type: string; challenge: string } };
      lambda: { status: number; body: unknown };
    };
    const subpaths = Object.keys(pkg.exports).filter((subpath) => subpath !== "./package.json");
    const expected = subpaths.filter((subpath) => !(subpath in WORKERD_ONLY)).map(specifierOf);
    expect(Object.keys(report.subpaths).sort()).toEqual(expected.sort());
    for (const [specifier, count] of Object.entries(report.subpaths))
      expect(count, specifier).toBeGreaterThan(0);
    // Node refuses the workerd-only ones for their `cloudflare:` imports alone: what they import of skiff loads.
    expect(report.workerd).toEqual(
      Object.fromEntries(
        Object.keys(WORKERD_ONLY).map((subpath) => [specifierOf(subpath), "ERR_UNSUPPORTED_ESM_URL_SCHEME"]),
      ),
    );
    expect(Object.keys(report.relative).sort()).toEqual([...new Set(relativeUrls)].sort());
    expect(report.node).toEqual({
      status: 200,
      body: { pong: true },
      denied: { status: 401, type: "application/problem+json", challenge: 'Bearer realm=""' },
    });
    expect(report.lambda).toEqual({ status: 200, body: { pong: true } });
  });

  it("runs the skiff bin on the project's app", () => {
    writeFileSync(join(scratch, "app.ts"), APP);
    const out = run(join(scratch, "node_modules/.bin/skiff"), ["routes", "--json"], scratch, 60_000);
    expect(out).toContain("/ping");
    expect(out).toContain("/private");
  });
});
