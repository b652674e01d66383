import { existsSync, readFileSync, rmSync } from "node:fs";
import type { Reporter } from "vitest/reporters";
import { FIGURES_FILE, type TortureFigures } from "./figures.js";

/**
 * Prints the torture figures (tried, held, lost per suite) after vitest's own summary, so CI logs show them.
 *
 * @example
 * ```ts
 * export default defineConfig({ test: { reporters: ["default", new FiguresReporter()] } });
 * ```
 */
export class FiguresReporter implements Reporter {
  onInit(): void {
    rmSync(FIGURES_FILE, { force: true });
  }

  onTestRunEnd(): void {
    if (!existsSync(FIGURES_FILE)) return;
    const rows = readFileSync(FIGURES_FILE, "utf8")
      .split("\n")
      .filter(Boolean)
      .map((line) => JSON.parse(line) as TortureFigures);
    const lines = ["", "torture figures", "suite                      tried     held     lost  notes"];
    for (const r of rows) {
      const notes = Object.entries(r.notes ?? {})
        .map(([k, v]) => `${k}=${v}`)
        .join(" ");
      lines.push(
        `${r.suite.padEnd(24)} ${String(r.tried).padStart(7)}  ${String(r.held).padStart(7)}  ${String(r.lost).padStart(7)}  ${notes}`,
      );
    }
    const lost = rows.reduce((n, r) => n + r.lost, 0);
    lines.push(`total lost: ${lost}`, "");
    process.stdout.write(`${lines.join("\n")}\n`);
  }
}
