import { mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { databaseFilePath } from "../../../src/bindings/db/client-options.js";
import { bunDefaultDatabaseUrl, bunGlobal, resolveBunOptions } from "../../../src/adapters/bun/options.js";
import { ROOT, fixture, startBun } from "./support/bun-process.js";

describe("skiff/bun options", () => {
  it("listens where skiff/node does: options, then HOST/PORT, then 127.0.0.1:8787 (0.0.0.0 in production)", () => {
    expect(resolveBunOptions({}, {})).toEqual({
      hostname: "127.0.0.1",
      port: 8787,
      pollIntervalMs: 250,
      shutdownGraceMs: 10_000,
      testScheduled: true,
    });
    expect(resolveBunOptions({}, { PORT: "3000", NODE_ENV: "production" })).toMatchObject({
      hostname: "0.0.0.0",
      port: 3000,
      testScheduled: false,
    });
    expect(resolveBunOptions({ port: 0, hostname: "::1" }, { PORT: "1", HOST: "x" })).toMatchObject({
      hostname: "::1",
      port: 0,
    });
  });

  it("refuses a bad port or interval with a message naming it", () => {
    expect(() => resolveBunOptions({}, { PORT: "http" })).toThrow(
      /\[skiff\] PORT is "http", not a port number/,
    );
    expect(() => resolveBunOptions({}, { PORT: "70000" })).toThrow(
      /PORT is 70000, not a port number: use 0-65535/,
    );
    expect(() => resolveBunOptions({ port: -1 }, {})).toThrow(/the port option is -1/);
    expect(() => resolveBunOptions({ pollIntervalMs: 0 }, {})).toThrow(/pollIntervalMs is 0/);
    expect(() => resolveBunOptions({ shutdownGraceMs: 1.5 }, {})).toThrow(/shutdownGraceMs is 1.5/);
  });

  it("says to start the app with bun when it runs elsewhere", () => {
    expect(() => bunGlobal()).toThrow(
      /\[skiff\] skiff\/bun runs on Bun 1\.3 or later: start the app with `bun <entry>`/,
    );
  });

  it("keeps the default database in <project>/.skiff/dev.db, percent-encoded as libSQL URLs are", () => {
    expect(bunDefaultDatabaseUrl("/srv/shop")).toBe("file:/srv/shop/.skiff/dev.db");
    const odd = bunDefaultDatabaseUrl("/srv/my shop #2/?x%");
    expect(databaseFilePath(odd)).toBe("/srv/my shop #2/?x%/.skiff/dev.db");
  });

  it("finds the project above the entry on the real Bun: the nearest package.json outside node_modules", async () => {
    const root = mkdtempSync(join(tmpdir(), "skiff-bun-project-"));
    mkdirSync(join(root, "shop", "src", "deep"), { recursive: true });
    mkdirSync(join(root, "shop", "node_modules", "tool"), { recursive: true });
    mkdirSync(join(root, "alone"));
    writeFileSync(join(root, "shop", "package.json"), "{}");
    writeFileSync(join(root, "shop", "node_modules", "tool", "package.json"), "{}");
    const { ready } = await startBun<{ ready: true } & Record<string, string>>(fixture("project-dir.ts"), {
      SKIFF_TEST_ROOT: root,
    });
    expect(ready).toMatchObject({
      nested: join(root, "shop"),
      installed: join(root, "shop"), // an entry in node_modules: the project that installed it, not the package
      alone: join(root, "alone"), // no package.json anywhere above: the entry's own folder
      compiled: ready.cwd, // bun build --compile: the binary's working directory
      main: ROOT.replace(/\/$/, ""), // Bun.main is the fixture, inside this repository
    });
  });
});
