import { describe, expect, it } from "vitest";
import {
  checkWorkflows,
  withoutPortableEngine,
  workflowEngine,
} from "../../../src/cli/targets/cloudflare/wrangler-workflows.js";
import { app } from "../../contract/workflows/app.js";

// `skiff check` on Cloudflare Workflows: the engine is what the Worker exports; the [[workflows]] entries must match.
const file = "wrangler.toml";
const declared = [...app.triggers.workflowSchemas.keys()];
const allClasses = ["default", ...declared.map((w) => `${w[0]?.toUpperCase()}${w.slice(1)}Workflow`)];

describe("skiff check: [[workflows]] for Cloudflare Workflows", () => {
  it("tells the engine from the entry's exports", () => {
    expect(workflowEngine(app, ["default"])).toBe("portable");
    expect(workflowEngine(app, ["default", "ChainWorkflow"])).toBe("cloudflare");
  });

  it("asks for a missing entry with the TOML to add, and for a class the Worker does not export", () => {
    const problems = checkWorkflows(
      app,
      { name: "shop", workflows: [] },
      {
        file,
        format: "toml",
        exports: ["default", "ChainWorkflow"],
        entry: "worker.ts",
      },
    );
    const chain = problems.find((p) => p.message.includes('class_name = "ChainWorkflow"'));
    expect(chain?.fix).toBe(
      '[[workflows]]\nname = "shop-chain"\nbinding = "CHAIN_WORKFLOW"\nclass_name = "ChainWorkflow"',
    );
    expect(problems.some((p) => p.message.includes("does not export its class SagaWorkflow"))).toBe(true);
  });

  it("passes a config whose entries match, and warns on a binding other than the default", () => {
    const workflows = declared.map((w) => ({
      name: `shop-${w}`,
      binding: w === "chain" ? "CHAIN" : `${w.toUpperCase()}_WORKFLOW`,
      class_name: `${w[0]?.toUpperCase()}${w.slice(1)}Workflow`,
    }));
    const problems = checkWorkflows(
      app,
      { name: "shop", workflows },
      { file, format: "toml", exports: allClasses, entry: "worker.ts" },
    );
    expect(problems).toEqual([
      expect.objectContaining({ severity: "warning", message: expect.stringContaining('binding = "CHAIN"') }),
    ]);
  });

  it("drops the portable engine's queue and timer cron from the problems on Cloudflare Workflows", () => {
    const problems = [
      {
        target: "cloudflare" as const,
        message: 'queue "skiff-workflows" has an app.queue() consumer but no entry',
      },
      {
        target: "cloudflare" as const,
        message: `cron "${app.triggers.workflowTimerCron}" is registered but missing`,
      },
      { target: "cloudflare" as const, message: 'queue "orders" has no producer' },
    ];
    expect(withoutPortableEngine(app, problems).map((p) => p.message)).toEqual([
      'queue "orders" has no producer',
    ]);
  });
});
