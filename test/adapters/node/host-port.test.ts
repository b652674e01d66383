import { spawn } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, realpathSync, writeFileSync } from "node:fs";
import { createServer } from "node:net";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { Skiff } from "skiff";
import { findProjectDir, serve, type ServeOptions, type SkiffServer } from "skiff/node";
import { tempDbUrl } from "../../contract/node-driver.js";

const servers: SkiffServer[] = [];
async function start(options: ServeOptions) {
  const app = new Skiff();
  app.get("/", (c) => c.text("ok"));
  const server = await serve(app, {
    database: { url: ":memory:" },
    handleSignals: false,
    scheduler: false,
    queues: false,
    ...options,
  });
  servers.push(server);
  return server;
}
afterEach(async () => {
  await Promise.all(servers.splice(0).map((s) => s.close()));
});

const freePort = () =>
  new Promise<number>((done, fail) => {
    const probe = createServer().once("error", fail);
    probe.listen(0, "127.0.0.1", () => {
      const { port } = probe.address() as { port: number };
      probe.close(() => done(port));
    });
  });

const tempDir = () => realpathSync(mkdtempSync(join(tmpdir(), "skiff-project-")));

describe("serve(): where it listens", () => {
  it("reads PORT and HOST from the env", async () => {
    const port = await freePort();
    const server = await start({ env: { PORT: String(port), HOST: "127.0.0.1" } });
    expect(server.port).toBe(port);
    expect(server.hostname).toBe("127.0.0.1");
    expect(await (await fetch(`${server.url}/`)).text()).toBe("ok");
  });

  it("lets explicit options win over HOST and PORT", async () => {
    const taken = await freePort();
    const server = await start({
      env: { PORT: String(taken), HOST: "0.0.0.0" },
      port: 0,
      hostname: "127.0.0.1",
    });
    expect(server.port).not.toBe(taken);
    expect(server.hostname).toBe("127.0.0.1");
  });

  it("binds the loopback in development and every interface with NODE_ENV=production", async () => {
    const dev = await start({ env: { PORT: "0" } });
    expect(dev.hostname).toBe("127.0.0.1");
    const production = await start({ env: { PORT: "0", NODE_ENV: "production" } });
    expect(production.hostname).toBe("0.0.0.0");
    // The URL of a server on every interface is its loopback address, which answers.
    expect(production.url).toBe(`http://127.0.0.1:${production.port}`);
    expect(await (await fetch(`${production.url}/`)).text()).toBe("ok");
  });

  it("refuses a PORT that is not a port number, naming the variable", async () => {
    await expect(start({ env: { PORT: "eighty" } })).rejects.toThrow(/^\[skiff\] PORT is "eighty"/);
    await expect(start({ env: { PORT: "70000" } })).rejects.toThrow(/PORT is 70000/);
  });
});

describe("serve(): the default database belongs to the project, not the working directory", () => {
  it("finds the project as the nearest package.json above the entry, skipping installed packages", () => {
    const root = tempDir();
    writeFileSync(join(root, "package.json"), "{}");
    mkdirSync(join(root, "src", "deep"), { recursive: true });
    expect(findProjectDir(join(root, "src", "deep", "node.ts"))).toBe(root);
    // `skiff dev` runs an entry inside node_modules/skiff: the project is still the app's.
    const cli = join(root, "node_modules", "skiff", "src", "cli");
    mkdirSync(cli, { recursive: true });
    writeFileSync(join(root, "node_modules", "skiff", "package.json"), "{}");
    expect(findProjectDir(join(cli, "node-server.ts"))).toBe(root);
    // A bundle copied alone (no package.json above it) keeps its database beside it.
    const lonely = join(tempDir(), "app");
    mkdirSync(lonely);
    expect(findProjectDir(join(lonely, "server.mjs"))).toBe(lonely);
  });

  it("creates .skiff/dev.db in projectDir when given", async () => {
    const project = join(tempDir(), "with space");
    await start({ env: { PORT: "0" }, projectDir: project, database: undefined });
    expect(existsSync(join(project, ".skiff", "dev.db"))).toBe(true);
  });

  it("puts .skiff/dev.db in the entry's project when started from another directory", async () => {
    const outside = tempDir();
    const project = join(outside, "shop");
    mkdirSync(join(project, "src"), { recursive: true });
    writeFileSync(join(project, "package.json"), JSON.stringify({ name: "shop", type: "module" }));
    const repo = resolve(fileURLToPath(new URL("../../..", import.meta.url)));
    const entry = join(project, "src", "node.ts");
    writeFileSync(
      entry,
      [
        `import { Skiff } from ${JSON.stringify(pathToFileURL(join(repo, "src/index.ts")).href)};`,
        `import { serve } from ${JSON.stringify(pathToFileURL(join(repo, "src/adapters/node/index.ts")).href)};`,
        `const server = await serve(new Skiff());`,
        `console.log("listening on " + server.url);`,
      ].join("\n"),
    );
    const tsx = pathToFileURL(createRequire(import.meta.url).resolve("tsx")).href;
    const child = spawn(process.execPath, ["--import", tsx, entry], {
      cwd: outside,
      env: { PATH: process.env.PATH, PORT: "0", HOST: "127.0.0.1" },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    child.stdout.on("data", (d) => (out += String(d)));
    child.stderr.on("data", (d) => (out += String(d)));
    const exited = new Promise<number | null>((r) => child.once("exit", (code) => r(code)));
    const end = Date.now() + 15_000;
    while (!out.includes("listening on") && Date.now() < end && child.exitCode === null)
      await new Promise((r) => setTimeout(r, 50));
    expect(out).toContain("listening on http://127.0.0.1:");
    child.kill("SIGTERM");
    expect(await exited).toBe(0);
    expect(existsSync(join(project, ".skiff", "dev.db"))).toBe(true);
    expect(existsSync(join(outside, ".skiff"))).toBe(false);
  }, 30_000);

  it("still uses TURSO_DATABASE_URL when it is set", async () => {
    const url = tempDbUrl("turso-env");
    const project = tempDir();
    const server = await start({
      env: { PORT: "0", TURSO_DATABASE_URL: url },
      projectDir: project,
      database: undefined,
    });
    await server.db.client.execute("CREATE TABLE marker (x)");
    expect(existsSync(join(project, ".skiff"))).toBe(false);
    expect(existsSync(url.slice("file:".length))).toBe(true);
  });
});
