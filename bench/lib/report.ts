import { writeFileSync } from "node:fs";

/** How a goal of the benchmark issue came out. */
export type Verdict = "met" | "MISSED" | "not available yet";

export interface Goal {
  /** The goal as the issue states it, e.g. "skiff ≥ 0.95× bare Hono (plain text)". */
  goal: string;
  /** The measured figure behind the verdict, e.g. "0.97×". */
  figure: string;
  verdict: Verdict;
}

/** One comparison's output: Markdown blocks (tables, notes) and the goals it decides. */
export interface Section {
  title: string;
  blocks: string[];
  goals: Goal[];
  seconds: number;
}

/** Collects a comparison's output while it runs. */
export class SectionBuilder {
  readonly blocks: string[] = [];
  readonly goals: Goal[] = [];

  /** Adds a Markdown block (a table, a paragraph) to the section. */
  add(markdown: string): void {
    this.blocks.push(markdown);
  }

  /** Adds a note in italics, e.g. why a figure is what it is. */
  note(text: string): void {
    this.blocks.push(`_${text}_`);
  }

  /** A goal that could not be measured because a piece is missing. */
  skip(goal: string, reason: string): void {
    this.blocks.push(`**${reason}** — skipped: ${goal}`);
    this.goals.push({ goal, figure: reason, verdict: "not available yet" });
  }

  /** A goal where larger is better (`value` must reach `target`). */
  atLeast(goal: string, value: number, target: number, figure: string): void {
    this.goals.push({ goal, figure, verdict: value >= target ? "met" : "MISSED" });
  }

  /** A goal where smaller is better (`value` must stay at or under `target`). */
  atMost(goal: string, value: number, target: number, figure: string): void {
    this.goals.push({ goal, figure, verdict: value <= target ? "met" : "MISSED" });
  }
}

/** Progress goes to stderr so that stdout stays the Markdown a reader pipes somewhere. */
export const progress = (message: string): void => void process.stderr.write(`  · ${message}\n`);

export function renderSection(section: Section): string {
  return [`## ${section.title}`, ...section.blocks].join("\n\n");
}

/**
 * Runs one comparison. Under `bench/run.ts` (which sets `BENCH_JSON`) the section is written there as JSON; run on
 * its own (`node --conditions=skiff-source --import tsx bench/db.ts`) it prints its Markdown.
 */
export async function runComparison(
  title: string,
  body: (out: SectionBuilder) => Promise<void>,
): Promise<void> {
  const started = performance.now();
  const out = new SectionBuilder();
  process.stderr.write(`▶ ${title}\n`);
  try {
    await body(out);
  } catch (error) {
    // A crashed comparison is a finding, not a reason to lose the others: report it in the table.
    out.add(
      `**failed:** \`${String((error as Error)?.stack ?? error)
        .split("\n")
        .slice(0, 3)
        .join(" ")}\``,
    );
    process.exitCode = 1;
  }
  const section: Section = {
    title,
    blocks: out.blocks,
    goals: out.goals,
    seconds: (performance.now() - started) / 1000,
  };
  if (process.env.BENCH_JSON) writeFileSync(process.env.BENCH_JSON, JSON.stringify(section));
  else process.stdout.write(`${renderSection(section)}\n`);
}
