import type { AppManifest } from "../app/manifest.js";
import { table, type Output } from "../output.js";

/**
 * Prints an app's routes (method, path, middleware → handler), crons (with the next run) and queues for people;
 * used by `skiff routes` and the `skiff dev` banner.
 *
 * @example
 * ```ts
 * printApp(out, describeApp(app));
 * ```
 */
export function printApp(out: Output, manifest: AppManifest): void {
  const { bold, dim, cyan, green } = out.style;
  out.line(bold("Routes"));
  const rows = manifest.routes.map((r) => [
    green(r.method),
    r.path,
    `${r.middleware.length ? dim(`${r.middleware.join(", ")} → `) : ""}${r.handler}`,
  ]);
  for (const line of table(rows)) out.line(`  ${line}`);
  if (!rows.length) out.line(dim("  none"));

  out.line(bold("Crons") + dim(" (UTC)"));
  const crons = manifest.crons.map((c) => [
    cyan(c.expression),
    `next ${c.next ?? "never"}`,
    dim(`${c.handlers} handler${c.handlers === 1 ? "" : "s"}`),
  ]);
  for (const line of table(crons)) out.line(`  ${line}`);
  if (!crons.length) out.line(dim("  none"));

  out.line(bold("Queues"));
  const queues = manifest.queues.map((q) => {
    const o = q.consumer?.options;
    const consumer = o
      ? `${q.consumer?.kind === "batch" ? "batch consumer" : "consumer"}: maxRetries ${o.maxRetries}, batch ${o.maxBatchSize}/${o.maxBatchTimeoutSeconds}s${o.deadLetter ? `, dead letters → ${o.deadLetter}` : ""}`
      : "no consumer";
    const notes = [
      q.declared ? "" : "not declared",
      q.deadLetterFor.length ? `dead-letter queue of ${q.deadLetterFor.join(", ")}` : "",
    ].filter(Boolean);
    return [cyan(q.name), consumer, dim(notes.join("; "))];
  });
  for (const line of table(queues)) out.line(`  ${line}`);
  if (!queues.length) out.line(dim("  none"));
}
