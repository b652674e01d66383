import { appendFileSync, mkdirSync } from "node:fs";
import { dirname, join } from "node:path";
import { tmpdir } from "node:os";

/**
 * One line of the torture report: how many hostile inputs or messages a suite `tried`, how many the system `held`
 * (answered as specified, delivered, kept intact) and how many it `lost` (a 5xx, a leaked internal, a message
 * gone). `notes` carries suite-specific figures (kills, duplicates, latencies).
 *
 * @example
 * ```ts
 * recordFigures({ suite: "http fuzz", tried: 4000, held: 4000, lost: 0, notes: { statuses: "400×812" } });
 * ```
 */
export interface TortureFigures {
  suite: string;
  tried: number;
  held: number;
  lost: number;
  notes?: Record<string, string | number>;
}

/** Where suites append their figures; the reporter (same process tree) reads it at the end of the run. */
export const FIGURES_FILE =
  process.env.SKIFF_TORTURE_FIGURES ?? join(tmpdir(), "skiff-torture", "figures.jsonl");

/**
 * Appends one suite's figures to {@link FIGURES_FILE}, for the report printed after the run.
 *
 * @example
 * ```ts
 * recordFigures({ suite: "crash injection", tried: 2000, held: 2000, lost: 0 });
 * ```
 */
export function recordFigures(figures: TortureFigures): void {
  mkdirSync(dirname(FIGURES_FILE), { recursive: true });
  appendFileSync(FIGURES_FILE, `${JSON.stringify(figures)}\n`);
}
