import { readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, describe, expect, it } from "vitest";
import { runBuild } from "../../../src/cli/run/build.js";
import { runCheck } from "../../../src/cli/run/check.js";

// `skiff check` and `skiff build --target cloudflare` on an app whose Worker runs its workflows on Cloudflare
// Workflows (it exports the classes of cloudflareWorkflows(worker)).
const root = new URL("./workflows-cli-fixture", import.meta.url).pathname;
const project = { root, app: "app.ts", targets: ["cloudflare"] };
const outDir = join(tmpdir(), `skiff-cf-workflows-${process.pid}`);
afterAll(() => rmSync(outDir, { recursive: true, force: true }));

describe("skiff check / build with workflows on Cloudflare Workflows", () => {
  it("passes a wrangler.toml with the [[workflows]] entries and without the portable engine's queue and cron", async () => {
    const report = await runCheck({ ...project, bundle: false });
    expect(report.problems).toEqual([]);
    expect(report.ok).toBe(true);
  }, 30_000);

  it("asks for each missing [[workflows]] entry, with the TOML to add", async () => {
    const report = await runCheck({ ...project, bundle: false, config: "wrangler-no-workflows.toml" });
    expect(report.ok).toBe(false);
    expect(report.problems.map((p) => [p.message, p.fix])).toEqual([
      [
        'no [[workflows]] entry with class_name = "CheckoutWorkflow" (workflow "checkout")',
        '[[workflows]]\nname = "cli-cf-workflows-checkout"\nbinding = "CHECKOUT_WORKFLOW"\nclass_name = "CheckoutWorkflow"',
      ],
      [
        'no [[workflows]] entry with class_name = "OrderReportWorkflow" (workflow "order-report")',
        '[[workflows]]\nname = "cli-cf-workflows-order-report"\nbinding = "ORDER_REPORT_WORKFLOW"\nclass_name = "OrderReportWorkflow"',
      ],
    ]);
  }, 30_000);

  it("prints a whole wrangler.toml with the [[workflows]] entries when there is none, without the portable engine's", async () => {
    const report = await runCheck({ ...project, bundle: false, config: "absent.toml" });
    const fix = report.problems[0]?.fix ?? "";
    expect(report.problems[0]?.message).toBe("does not exist; create it with");
    expect(fix).toContain(
      '[[workflows]]\nname = "skiff-app-checkout"\nbinding = "CHECKOUT_WORKFLOW"\nclass_name = "CheckoutWorkflow"',
    );
    expect(fix).toContain('class_name = "OrderReportWorkflow"');
    expect(fix).not.toContain("skiff-workflows");
    expect(fix).not.toContain("[triggers]");
  }, 30_000);

  it("builds a deployable wrangler.json with the [[workflows]] entries, the classes exported by the bundle", async () => {
    const report = await runBuild({ root, app: "app.ts", target: "cloudflare", outDir });
    expect(report.problems).toEqual([]);
    const deployable = JSON.parse(readFileSync(join(outDir, "wrangler.json"), "utf8")) as {
      workflows: unknown;
    };
    expect(deployable.workflows).toEqual([
      { name: "cli-cf-workflows-checkout", binding: "CHECKOUT_WORKFLOW", class_name: "CheckoutWorkflow" },
      {
        name: "cli-cf-workflows-order-report",
        binding: "ORDER_REPORT_WORKFLOW",
        class_name: "OrderReportWorkflow",
      },
    ]);
    const bundle = readFileSync(join(outDir, "worker.js"), "utf8");
    expect(bundle).toMatch(/from\s*"cloudflare:workers"/);

    // wrangler accepts it: each class_name is an export of the bundle, each binding a Workflow.
    const wrangler = new URL("../../../node_modules/.bin/wrangler", import.meta.url).pathname;
    const { stdout } = await promisify(execFile)(
      wrangler,
      ["deploy", "-c", join(outDir, "wrangler.json"), "--dry-run", "--outdir", join(outDir, "wrangler-out")],
      { cwd: outDir, env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "1" } },
    );
    expect(stdout).toMatch(/env\.CHECKOUT_WORKFLOW \(CheckoutWorkflow\)\s+Workflow/);
    expect(stdout).toContain("--dry-run: exiting now.");
  }, 60_000);

  it("adds the missing [[workflows]] entries to the deployable config while reporting them", async () => {
    const out = join(outDir, "missing");
    const report = await runBuild({
      root,
      app: "app.ts",
      target: "cloudflare",
      outDir: out,
      config: "wrangler-no-workflows.toml",
    });
    expect(report.problems.map((p) => p.message)).toEqual([
      'no [[workflows]] entry with class_name = "CheckoutWorkflow" (workflow "checkout")',
      'no [[workflows]] entry with class_name = "OrderReportWorkflow" (workflow "order-report")',
    ]);
    const deployable = JSON.parse(readFileSync(join(out, "wrangler.json"), "utf8")) as { workflows: unknown };
    expect(deployable.workflows).toEqual([
      { name: "cli-cf-workflows-checkout", binding: "CHECKOUT_WORKFLOW", class_name: "CheckoutWorkflow" },
      {
        name: "cli-cf-workflows-order-report",
        binding: "ORDER_REPORT_WORKFLOW",
        class_name: "OrderReportWorkflow",
      },
    ]);
  }, 60_000);
});
