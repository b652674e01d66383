import { spawnSync } from "node:child_process";
import { join } from "node:path";
import type { Problem } from "../../errors.js";
import { serverTarget } from "../_server-target.js";
import type { Target } from "../types.js";
import { findBun } from "./find-bun.js";

/**
 * Bun: bundles `bun.ts` (the module that calls `serve(app)` from `skiff/bun`) as one standalone `server.mjs`
 * (`bun server.mjs` runs it anywhere; no native module, since skiff/bun uses `bun:sqlite` and libSQL over HTTP),
 * then compiles it with `bun build --compile` into a single executable, `server`, when a `bun` is installed (the
 * project's `@oven/bun-*` package, else `bun` on PATH). No size limit and no platform config.
 *
 * @example
 * ```ts
 * const entry = bun.resolveEntry(input); // examples/shop/bun.ts
 * ```
 */
export const bun: Target = {
  ...serverTarget({
    name: "bun",
    file: "bun.ts",
    what: "Bun server",
    example: 'import { serve } from "skiff/bun"; await serve(app);',
    edge: false,
    bundle: { outFile: "server.mjs", runtime: "node", target: "esnext", conditions: ["bun", "node"] },
  }),
  emit: async (input, _entry, outDir, result) => {
    const rel = (file: string) => input.project.rel(file);
    const notes = [`run: bun ${rel(result.main)}`];
    const binary = join(outDir, "server");
    const executable = findBun(input.project.root);
    if (!executable) {
      notes.push(
        `single binary: install bun, then bun build --compile ${rel(result.main)} --outfile ${rel(binary)}`,
      );
      return { files: [], problems: [], notes };
    }
    const compiled = spawnSync(executable, ["build", "--compile", result.main, "--outfile", binary], {
      cwd: input.project.root,
      encoding: "utf8",
      timeout: 120_000,
    });
    if (compiled.status !== 0) {
      const why = (compiled.stderr || compiled.error?.message || `exit ${compiled.status}`)
        .trim()
        .slice(-400);
      const problem: Problem = {
        target: "bun",
        severity: "warning",
        message: `bun build --compile failed, so there is no single binary (the bundle is fine): ${why}`,
      };
      return { files: [], problems: [problem], notes };
    }
    notes.push(`single binary: ${rel(binary)} (run it with no bun installed)`);
    return { files: [binary], problems: [], notes };
  },
};
