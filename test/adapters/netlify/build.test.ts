import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { runBuild } from "../../../src/cli/run/build.js";
import { runCheck } from "../../../src/cli/run/check.js";
import { netlifyCronName } from "../../../src/cli/targets/netlify/functions.js";

const root = new URL("../../..", import.meta.url).pathname;
const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

// A Netlify site outside the example: netlify.toml and the functions go where --config puts them.
function site() {
  const dir = mkdtempSync(join(tmpdir(), "skiff-netlify-build-"));
  dirs.push(dir);
  return { dir, toml: join(dir, "netlify.toml"), functions: join(dir, "netlify", "functions") };
}
const options = (s: ReturnType<typeof site>) => ({
  root,
  target: "netlify",
  config: s.toml,
  outDir: join(s.dir, ".skiff"),
});

describe("skiff build --target netlify", () => {
  const s = site();
  it("bundles the entry within Netlify's limits and writes netlify.toml and one function per trigger", async () => {
    const report = await runBuild(options(s));
    expect(report.problems).toEqual([]);
    expect(report.limits.map((l) => [l.measure, l.ok])).toEqual([
      ["unzipped", true],
      ["zipped", true],
    ]);
    expect(readFileSync(s.toml, "utf8")).toContain('node_bundler = "esbuild"');
    const files = readdirSync(s.functions).sort();
    expect(files).toEqual(
      [
        "skiff.mts",
        `${netlifyCronName("0 0 * * *")}.mts`,
        `${netlifyCronName("0 9 * * *")}.mts`,
        "skiff-queues.mts",
      ].sort(),
    );
    const cron = readFileSync(join(s.functions, `${netlifyCronName("0 9 * * *")}.mts`), "utf8");
    expect(cron).toContain('export default skiff.cron("0 9 * * *");');
    expect(cron).toContain('export const config = { schedule: "0 9 * * *" };');
    expect(readFileSync(join(s.functions, "skiff.mts"), "utf8")).toContain('config = { path: "/*" }');
  });

  it("keeps the committed example site in step with the app", async () => {
    const report = await runCheck({ root, targets: ["netlify"] });
    expect(report.problems.filter((p) => p.target === "netlify")).toEqual([]);
  });

  it("flags drift: a stale cron function, an edited one, a schedule in netlify.toml and the wrong bundler", async () => {
    const stale = join(s.functions, `${netlifyCronName("*/5 * * * *")}.mts`);
    writeFileSync(stale, readFileSync(join(s.functions, `${netlifyCronName("0 9 * * *")}.mts`), "utf8"));
    const edited = join(s.functions, "skiff-queues.mts");
    writeFileSync(edited, readFileSync(edited, "utf8").replace("* * * * *", "0 * * * *"));
    writeFileSync(
      s.toml,
      '[functions]\nnode_bundler = "zisi"\n[functions."skiff-queues"]\nschedule = "@hourly"\n',
    );
    const report = await runCheck({ root, targets: ["netlify"], config: s.toml });
    const messages = report.problems.map((p) => p.message).join("\n");
    expect(messages).toMatch(/skiff-cron-xs5_x_x_x_x-[0-9a-f]{8}\.mts is a function the app no longer has/);
    expect(messages).toContain("skiff-queues.mts is out of date with the app");
    expect(messages).toContain('node_bundler is "zisi"');
    expect(messages).toContain('[functions."skiff-queues"] sets a schedule');

    // The build rewrites skiff's files and deletes the stale one; netlify.toml is the user's and stays a problem.
    const rebuilt = await runBuild(options(s));
    expect(readdirSync(s.functions)).not.toContain(stale.split("/").pop());
    expect(readFileSync(edited, "utf8")).toContain('schedule: "* * * * *"');
    expect(rebuilt.problems.map((p) => p.message).join("\n")).toContain('node_bundler is "zisi"');
  });
});
