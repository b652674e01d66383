import { defineCommand } from "citty";
import { CliError } from "../errors.js";
import { formatBytes, table, type Output } from "../output.js";
import { runBuild, type BuildReport } from "../run/build.js";
import { commonArgs, guard, printProblems } from "./shared.js";

/**
 * `skiff build --target cloudflare|vercel|lambda|node`: bundles the target's entry, prints raw and gzip sizes
 * against the platform's limits, and writes or checks the platform config. Exit 1 when a problem was found.
 *
 * @example
 * ```sh
 * skiff build --target cloudflare --plan paid
 * skiff build --target lambda --json
 * ```
 */
export const buildCommand = defineCommand({
  meta: {
    name: "build",
    description: "Bundle the app for a platform, check its limits and write its config",
  },
  args: {
    ...commonArgs,
    target: {
      type: "string",
      alias: "t",
      valueHint: "cloudflare|vercel|lambda|node",
      description: "Platform to build for (required)",
    },
    entry: {
      type: "string",
      valueHint: "file",
      description:
        'Module to bundle (default: "skiff.entries.<target>" in package.json, else worker.ts, lambda.ts or node.ts next to the app, or the Vercel route handler of a Next.js layout)',
    },
    config: {
      type: "string",
      valueHint: "file",
      description:
        "wrangler config (wrangler.json, wrangler.jsonc or wrangler.toml) or vercel.json to check or write",
    },
    plan: {
      type: "string",
      valueHint: "plan",
      description:
        "Plan whose limits apply: free|paid (cloudflare), hobby|pro|enterprise (vercel); both: paid,pro",
    },
    limit: { type: "string", valueHint: "size", description: "Override the size limit, e.g. 800kb or 2mb" },
    "base-path": {
      type: "string",
      valueHint: "path",
      description: "Vercel: the path the route handler is mounted at (default: from its location)",
    },
    "out-dir": {
      type: "string",
      valueHint: "dir",
      description: "Output directory (default: .skiff/build/<target>)",
    },
  },
  run: ({ args }) =>
    guard(args, async (out) => {
      if (!args.target) throw new CliError("skiff build needs --target cloudflare, vercel, lambda or node");
      const report = await runBuild({
        root: args.root,
        app: args.app,
        target: args.target,
        entry: args.entry,
        config: args.config,
        plan: args.plan,
        limit: args.limit,
        basePath: args["base-path"],
        outDir: args["out-dir"],
        progress: out.step,
      });
      out.result(report);
      printBuild(out, report);
      return report.ok ? 0 : 1;
    }),
});

function printBuild(out: Output, report: BuildReport): void {
  const { bold, green, red, dim } = out.style;
  out.line(
    `${bold(`skiff build --target ${report.target}`)} ${dim(`${report.entry} → ${report.outDir} (${report.runtime} runtime)`)}`,
  );
  const rows = [
    [
      dim("bundle"),
      dim("raw"),
      dim("gzip"),
      ...(report.runtime === "node" ? [dim("deployed"), dim("zipped")] : []),
    ],
  ];
  rows.push([
    report.files.find((f) => !f.endsWith(".map")) ?? "",
    formatBytes(report.sizes.raw),
    formatBytes(report.sizes.gzip),
    ...(report.runtime === "node"
      ? [formatBytes(report.sizes.unzipped), formatBytes(report.sizes.zipped)]
      : []),
  ]);
  for (const line of table(rows)) out.line(`  ${line}`);
  for (const l of report.limits) {
    const pct = Math.round((l.actual / l.bytes) * 100);
    out.line(
      `  ${l.ok ? green("✓") : red("✗")} ${l.measure} ${formatBytes(l.actual)} of ${formatBytes(l.bytes)} (${pct}%) ${dim(l.label)}`,
    );
  }
  if (!report.limits.length) out.line(`  ${dim("no platform size limit")}`);
  if (report.shipped.length) out.line(`  ${dim(`shipped beside the bundle: ${report.shipped.join(", ")}`)}`);
  for (const file of report.written) out.line(`  wrote ${file}`);
  for (const note of report.notes) out.line(`  ${dim(note)}`);
  printProblems(out, report.problems);
  if (!report.ok)
    out.problem(
      red(
        `build for ${report.target} found ${report.problems.filter((p) => p.severity !== "warning").length} problem(s)`,
      ),
    );
}
