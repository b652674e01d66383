import { defineCommand } from "citty";
import { runCheck } from "../run/check.js";
import { commonArgs, guard, listArg, printProblems } from "./shared.js";

/**
 * `skiff check`: the checks of `skiff build` without writing anything, for CI. Exit 1 with a readable list of
 * problems when the platform config has drifted from the app or an edge bundle would break.
 *
 * @example
 * ```sh
 * skiff check                      # every target with an entry
 * skiff check --target cloudflare --json
 * skiff check --strict              # warnings fail too
 * ```
 */
export const checkCommand = defineCommand({
  meta: {
    name: "check",
    description: "Check platform config and bundles against the app, without building (for CI)",
  },
  args: {
    ...commonArgs,
    target: {
      type: "string",
      alias: "t",
      valueHint: "targets",
      description: "Targets to check, comma-separated (default: every target whose entry exists)",
    },
    entry: { type: "string", valueHint: "file", description: "Module to check (with a single --target)" },
    config: {
      type: "string",
      valueHint: "file",
      description:
        "wrangler config (wrangler.json, wrangler.jsonc or wrangler.toml) or vercel.json to check (with a single --target)",
    },
    plan: {
      type: "string",
      valueHint: "plan",
      description:
        "Plan whose limits apply: free|paid (cloudflare), hobby|pro|enterprise (vercel); both: paid,pro",
    },
    limit: { type: "string", valueHint: "size", description: "Override the size limit, e.g. 800kb" },
    "base-path": {
      type: "string",
      valueHint: "path",
      description: "Vercel: the path the route handler is mounted at",
    },
    bundle: {
      type: "boolean",
      default: true,
      negativeDescription: "Skip the in-memory bundle of edge targets",
      description: "Bundle edge targets in memory for Node built-ins and size limits",
    },
    strict: {
      type: "boolean",
      description: "Fail on warnings too, such as a Vercel route handler that was not found",
    },
  },
  run: ({ args }) =>
    guard(args, async (out) => {
      const report = await runCheck({
        root: args.root,
        app: args.app,
        targets: listArg(args.target),
        entry: args.entry,
        config: args.config,
        plan: args.plan,
        limit: args.limit,
        basePath: args["base-path"],
        bundle: args.bundle,
        strict: args.strict,
        progress: out.step,
      });
      out.result(report);
      const { green, red, yellow, dim } = out.style;
      for (const t of report.targets) {
        const own = report.problems.filter((p) => p.target === t.target);
        const errors = own.filter((p) => p.severity !== "warning").length;
        const warnings = own.length - errors;
        const mark = errors ? red("✗") : warnings ? yellow("!") : t.skipped ? dim("-") : green("✓");
        const counts = [
          ...(errors ? [red(`${errors} problem(s)`)] : []),
          ...(warnings ? [yellow(`${warnings} warning(s)`)] : []),
        ];
        out.line(
          `${mark} ${t.target} ${dim(t.skipped ? `skipped: ${t.skipped}` : (t.entry ?? ""))}${counts.length ? ` ${counts.join(", ")}` : ""}`,
        );
      }
      printProblems(out, report.problems);
      return report.ok ? 0 : 1;
    }),
});
