import type { Output } from "../output.js";
import type { Estimate, Usage } from "./types.js";

/**
 * Dollars for a table: cents, or four decimals below a cent so that tiny costs do not read as free.
 *
 * @example
 * ```ts
 * usd(1.033335) // "$1.03"
 * usd(0.0004)   // "$0.0004"
 * ```
 */
export function usd(value: number): string {
  if (value > 0 && value < 0.01) return `$${value.toFixed(4)}`;
  return `$${value.toLocaleString("en-US", { minimumFractionDigits: 2, maximumFractionDigits: 2 })}`;
}

/**
 * A request count as people write it: `1M`, `57.4M`, `250k`, `3.2B`.
 *
 * @example
 * ```ts
 * count(57_400_000) // "57.4M"
 * ```
 */
export function count(value: number): string {
  const units: Array<[number, string]> = [
    [1e12, "T"],
    [1e9, "B"],
    [1e6, "M"],
    [1e3, "k"],
  ];
  for (const [size, suffix] of units)
    if (value >= size) return `${Number((value / size).toPrecision(3)).toString()}${suffix}`;
  return String(Math.round(value));
}

/**
 * The estimates for people: one row per target with its monthly cost and break-even traffic, then the assumptions.
 *
 * @example
 * ```ts
 * printEstimates(out, { usage, estimates, server, date: "2026-12-01", source });
 * ```
 */
export function printEstimates(
  out: Output,
  report: { usage: Usage; estimates: Estimate[]; server: Estimate; date: string; source: string },
): void {
  const { usage, estimates, server } = report;
  const { bold, dim } = out.style;
  const cpu = usage.cpuMs === usage.durationMs ? "" : `, ${usage.cpuMs} ms CPU`;
  out.line(
    bold(
      `${count(usage.requests)} requests a month × ${usage.durationMs} ms${cpu}, ${usage.memoryMb} MB, ${usage.freeTier ? "with" : "without"} free tiers`,
    ),
  );
  out.line(dim(`prices of ${report.date} (USD, US regions, list prices); durations: ${report.source}`));
  out.line();
  const rows = estimates.map((e) => [
    e.target,
    `${e.variant} · ${e.plan}`,
    usd(e.total),
    e.breakEvenRequests === undefined
      ? ""
      : e.breakEvenRequests === null
        ? "always cheaper"
        : e.breakEvenRequests === 0
          ? "never cheaper"
          : `${count(e.breakEvenRequests)} requests`,
  ]);
  rows.push([server.target, `${server.variant} · ${server.plan}`, usd(server.total), ""]);
  const header = ["target", "service · plan", "per month", `costs as much as the server at`];
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => (r[i] ?? "").length)));
  const pad = (cells: string[]) =>
    `  ${cells.map((c, i) => (i === 2 ? c.padStart(widths[i] ?? 0) : c.padEnd(widths[i] ?? 0))).join("  ")}`.trimEnd();
  out.line(dim(pad(header)));
  for (const row of rows) out.line(pad(row));
  out.line();
  const notes = new Set([...estimates, server].flatMap((e) => e.notes.map((n) => `${e.target}: ${n}`)));
  for (const note of notes) out.line(dim(`  · ${note}`));
}
