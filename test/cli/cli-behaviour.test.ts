import { join } from "node:path";
import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { checkArgs, closest } from "../../src/cli/commands/shared.js";
import { CliError } from "../../src/cli/errors.js";
import { createOutput } from "../../src/cli/output.js";
import { fixtures, skiff } from "./support/run-skiff.js";

// The `skiff` executable as users run it, output piped (not a TTY), and its Output in-process with fake TTYs.
const ANSI = /\x1b[[\]]/;

class Capture extends Writable {
  text = "";
  constructor(readonly isTTY: boolean) {
    super();
  }
  override _write(chunk: Buffer, _encoding: string, done: () => void): void {
    this.text += chunk.toString();
    done();
  }
}

describe("a command line skiff cannot run", () => {
  it("exits 2 on an unknown command or option, with a did-you-mean when one is close, never ignoring it", async () => {
    const [command, far, option, negated, short, positional, before, json] = await Promise.all([
      skiff(["biuld", "--target", "node"]),
      skiff(["deploy"]),
      skiff(["build", "--trget", "node"]),
      skiff(["check", "--no-bundel"]),
      skiff(["routes", "-x"]),
      skiff(["routes", "extra"]),
      skiff(["--quiet", "routes"]),
      skiff(["check", "--jsno", "--json"]),
    ]);
    for (const r of [command, far, option, negated, short, positional, before]) {
      expect(r.code).toBe(2);
      expect(r.stdout).toBe("");
      expect(r.stderr).not.toMatch(ANSI);
    }
    expect(command.stderr.trim()).toBe(
      '[skiff] unknown command "biuld". Did you mean "build"? (commands: dev, build, check, routes, workflows, openapi, cost)',
    );
    expect(far.stderr.trim()).toBe(
      '[skiff] unknown command "deploy" (commands: dev, build, check, routes, workflows, openapi, cost)',
    );
    expect(option.stderr.trim()).toBe(
      "[skiff] unknown option --trget for skiff build. Did you mean --target? (skiff build --help lists the options)",
    );
    expect(negated.stderr).toContain("unknown option --no-bundel for skiff check. Did you mean --no-bundle?");
    expect(short.stderr).toContain("unknown option -x for skiff routes (");
    expect(positional.stderr).toContain('unexpected argument "extra" for skiff routes');
    expect(before.stderr).toContain("unknown option --quiet for skiff: options go after the command");
    // With --json, the failure is the JSON document on stdout, and nothing else.
    expect(json.code).toBe(2);
    expect(json.stderr).toBe("");
    expect(JSON.parse(json.stdout)).toEqual({
      ok: false,
      error:
        "[skiff] unknown option --jsno for skiff check. Did you mean --json? (skiff check --help lists the options)",
    });
  }, 30_000);

  it("accepts every declared spelling: --flag=value, aliases, --no-<boolean>, a value that looks like a flag", () => {
    const defs = {
      target: { type: "string", alias: "t" },
      "out-dir": { type: "string" },
      quiet: { type: "boolean", alias: "q" },
      bundle: { type: "boolean", default: true },
    };
    for (const args of [
      ["--target=node", "--out-dir", "x"],
      ["-qt", "cloudflare", "--no-bundle"],
      ["-tnode", "--outDir", "y"],
      ["--target", "--no-bundle"],
      ["--target", "-q"],
    ])
      expect(() => checkArgs("build", args, defs)).not.toThrow();
    expect(() => checkArgs("build", ["--no-target"], defs)).toThrow(CliError);
    expect(() => checkArgs("build", ["-qx"], defs)).toThrow(/unknown option -x/);
    expect(closest("chek", ["dev", "build", "check", "routes"])).toBe("check");
    expect(closest("out", ["out-dir", "target"])).toBe("out-dir");
    expect(closest("zzz", ["dev", "build"])).toBeUndefined();
  });
});

describe("colours and ticks", () => {
  it("writes no ANSI code to a stream that is not a TTY, whichever stream the text was styled for", () => {
    const stdout = new Capture(true);
    const stderr = new Capture(false);
    const out = createOutput({ stdout, stderr, env: {} });
    out.line(out.style.red("on a terminal"));
    out.problem(out.style.red("piped problem"));
    out.step("bundling")("1 KiB", "ok");
    expect(stdout.text).toMatch(ANSI);
    expect(stderr.text).not.toMatch(ANSI);
    expect(stderr.text).toContain("piped problem");
  });

  it("never shows a green tick for a step that found problems, or one whose outcome was not given", () => {
    const stderr = new Capture(true);
    const out = createOutput({ stdout: new Capture(true), stderr, env: {} });
    out.step("checking cloudflare")("2 problem(s)", "error");
    out.step("checking lambda")("1 warning", "warning");
    out.step("checking vercel")("2 problem(s)");
    out.step("checking node")("ok", "ok");
    const lines = stderr.text.split("\n").filter((l) => !l.includes("›"));
    expect(lines[0]).toMatch(/^\x1b\[31m✗\x1b\[39m checking cloudflare/);
    expect(lines[1]).toMatch(/^\x1b\[33m!\x1b\[39m checking lambda/);
    expect(lines[2]).not.toContain("✓");
    expect(lines[3]).toMatch(/^\x1b\[32m✓\x1b\[39m checking node/);
  });

  it("prints the drifted check with no tick on its failed step, and --json problems each with a severity", async () => {
    const args = ["check", "--root", join(fixtures, "basic"), "--app", "app.ts", "--target", "cloudflare"];
    const [people, json] = await Promise.all([
      skiff([...args, "--config", "wrangler-drifted.toml"], { FORCE_COLOR: "1" }),
      skiff([...args, "--config", "wrangler-drifted.toml", "--json", "--no-bundle"]),
    ]);
    expect(people.code).toBe(1);
    expect(people.stderr).toContain("checking cloudflare");
    expect(people.stderr).not.toMatch(/✓[^\n]*checking cloudflare/);
    const report = JSON.parse(json.stdout) as { problems: Array<{ severity?: string }> };
    expect(report.problems.length).toBeGreaterThan(0);
    expect(report.problems.every((p) => p.severity === "error" || p.severity === "warning")).toBe(true);
  }, 30_000);

  it("prints citty's usage and every error without ANSI codes when piped, even for citty's own messages", async () => {
    const [help, sub, none] = await Promise.all([skiff(["--help"]), skiff(["check", "-h"]), skiff([])]);
    expect(help.code).toBe(0);
    expect(sub.code).toBe(0);
    expect(sub.stdout).toContain("--no-bundle");
    expect(none.code).toBe(2);
    expect(none.stderr).toContain("USAGE skiff dev|build|check|routes");
    expect(none.stderr).toContain("[skiff] no command given");
    for (const r of [help, sub, none]) expect(r.stdout + r.stderr).not.toMatch(ANSI);
  }, 30_000);
});
