import { existsSync } from "node:fs";
import type { SectionBuilder } from "../lib/report.js";
import { fromRoot } from "../lib/paths.js";

// The peers the issue names. DBOS runs when it is installed and Postgres binaries are here (see dbos.ts); for the
// other, and for DBOS when it did not run, the bench says precisely why rather than installing anything itself.
const installed = (pkg: string) => existsSync(fromRoot(`node_modules/${pkg}/package.json`));

/** How the DBOS comparison went: what it ran on, or why it did not run (`skipped`) or broke (`missed`). */
export type DbosOutcome = { ran: string } | { skipped: string } | { missed: string };

/**
 * Reports what the DBOS comparison ran on (or precisely why not), and why the Vercel Workflow one did not run in
 * this checkout, with the install line.
 *
 * @example
 * ```ts
 * peers(out, { skipped: "no Postgres binaries" });
 * ```
 */
export function peers(out: SectionBuilder, dbos: DbosOutcome): void {
  const rows = [
    "ran" in dbos
      ? `- **DBOS** ran above: ${dbos.ran}; the cluster was stopped and deleted after the run.`
      : "missed" in dbos
        ? `- **DBOS: MISSED** — ${dbos.missed.replace(/\.$/, "")}. Its rows are left out; the skiff figures above are complete.`
        : `- **DBOS: not run** — ${dbos.skipped.replace(/\.$/, "")}. It keeps its journal in Postgres; the bench starts a throwaway cluster when initdb, pg_ctl and postgres are present.`,
    `- **Vercel Workflow, local world** (\`workflow\` 4.8.9, \`@workflow/world-local\` 4.4.1): ${installed("workflow") ? "installed" : "not installed"}; ` +
      'its `"use workflow"` / `"use step"` functions only run after its SWC transform (a framework integration: Next.js, Nitro, SvelteKit, Astro, Rollup), ' +
      "and the local world executes steps through the `.well-known/workflow/v1/*` routes of that dev server. " +
      "To compare: `npm i -E -D workflow@4.8.9 @workflow/world-local@4.4.1` plus one integration (e.g. `@workflow/nitro`) to build the bundle.",
  ];
  out.add(
    [
      "**Peers** — DBOS runs where Postgres does; Vercel's local world needs packages skiff does not depend on:",
      ...rows,
    ].join("\n"),
  );
}
