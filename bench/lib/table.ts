/** A Markdown table; numbers are right-aligned by passing `align` per column. */
export function table(
  headers: readonly string[],
  rows: ReadonlyArray<ReadonlyArray<string | number>>,
  align?: ReadonlyArray<"l" | "r">,
): string {
  const rule = headers.map((_, i) => (align?.[i] === "r" ? "---:" : "---"));
  const line = (cells: ReadonlyArray<string | number>) =>
    `| ${cells.map((c) => String(c).replaceAll("|", "\\|")).join(" | ")} |`;
  return [line(headers), line(rule), ...rows.map(line)].join("\n");
}
