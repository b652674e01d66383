import type { Writable } from "node:stream";

/**
 * How a command talks to people and pipelines: colours only on a TTY (never with `NO_COLOR`, always with
 * `FORCE_COLOR`), progress lines on stderr for people, nothing but JSON on stdout with `--json`, and only problems
 * with `--quiet`.
 *
 * @example
 * ```ts
 * const out = createOutput({ json: false, quiet: false });
 * const done = out.step("bundling worker");
 * done("312 KB");
 * out.line(out.style.bold("routes"));
 * ```
 */
export interface Output {
  readonly json: boolean;
  readonly quiet: boolean;
  readonly style: Style;
  /** A line for people on stdout (not in `--json` or `--quiet` mode). */
  line(text?: string): void;
  /** A warning or problem on stderr (also in `--quiet` mode; not in `--json` mode, where it is part of the result). */
  problem(text: string): void;
  /**
   * Starts a long step: prints it on stderr for people and returns the function that reports it done. The mark
   * says how it went: a green `✓` only for `"ok"`, a yellow `!` for `"warning"`, a red `✗` for `"error"`, and a
   * neutral `·` when the caller does not say (a step that found problems is never shown with a green tick).
   */
  step(label: string): (detail?: string, outcome?: StepOutcome) => void;
  /**
   * Writes the result document in `--json` mode. Every problem in its `problems` array carries a `severity`
   * ("error" unless it says "warning"), as docs/cli.md promises.
   */
  result(value: unknown): void;
}

/**
 * How a step of {@link Output.step} ended.
 *
 * @example
 * ```ts
 * done(`${problems.length} problem(s)`, problems.length ? "error" : "ok");
 * ```
 */
export type StepOutcome = "ok" | "warning" | "error";

/**
 * ANSI styles that are the identity when colours are off.
 *
 * @example
 * ```ts
 * const { red, bold } = createStyle(true);
 * console.log(red(bold("over the limit")));
 * ```
 */
export interface Style {
  readonly enabled: boolean;
  bold(text: string): string;
  dim(text: string): string;
  red(text: string): string;
  green(text: string): string;
  yellow(text: string): string;
  cyan(text: string): string;
}

/**
 * Styles for `enabled` colours.
 *
 * @example
 * ```ts
 * createStyle(false).red("x") // "x"
 * ```
 */
export function createStyle(enabled: boolean): Style {
  const wrap = (open: number, close: number) => (text: string) =>
    enabled ? `\x1b[${open}m${text}\x1b[${close}m` : text;
  return {
    enabled,
    bold: wrap(1, 22),
    dim: wrap(2, 22),
    red: wrap(31, 39),
    green: wrap(32, 39),
    yellow: wrap(33, 39),
    cyan: wrap(36, 39),
  };
}

/**
 * Whether to colour a stream: a TTY, `NO_COLOR` unset (https://no-color.org), `TERM` not `dumb`; `FORCE_COLOR`
 * (not `0`) forces colours on.
 *
 * @example
 * ```ts
 * colorEnabled(process.stdout, process.env) // false when piped
 * ```
 */
export function colorEnabled(
  stream: { isTTY?: boolean },
  env: Record<string, string | undefined> = process.env,
): boolean {
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== "0") return true;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== "") return false;
  return stream.isTTY === true && env.TERM !== "dumb";
}

// CSI sequences (colours, cursor moves) and OSC ones (hyperlinks), as terminals parse them.
const ANSI = /\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)/g;

/**
 * Removes ANSI escape sequences (SGR colours and the like) from text.
 *
 * @example
 * ```ts
 * stripAnsi("\x1b[31mred\x1b[39m") // "red"
 * ```
 */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

/**
 * Options of {@link createOutput}; the streams and env default to the process's.
 *
 * @example
 * ```ts
 * const options: OutputOptions = { json: true, env: { NO_COLOR: "1" } };
 * ```
 */
export interface OutputOptions {
  json?: boolean;
  quiet?: boolean;
  stdout?: Writable & { isTTY?: boolean };
  stderr?: Writable & { isTTY?: boolean };
  env?: Record<string, string | undefined>;
}

/**
 * The {@link Output} of one command run.
 *
 * @example
 * ```ts
 * const out = createOutput({ json: args.json, quiet: args.quiet });
 * ```
 */
export function createOutput(options: OutputOptions = {}): Output {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const json = options.json === true;
  const quiet = options.quiet === true;
  const outColor = !json && colorEnabled(stdout, options.env);
  const errColor = !json && colorEnabled(stderr, options.env);
  const style = createStyle(outColor);
  const errStyle = createStyle(errColor);
  // Text is styled with the stdout style wherever it goes; each stream drops the codes it cannot show.
  const toOut = (text: string) => stdout.write(`${outColor ? text : stripAnsi(text)}\n`);
  const toErr = (text: string) => stderr.write(`${errColor ? text : stripAnsi(text)}\n`);
  const people = !json && !quiet;
  const marks: Record<StepOutcome | "done", string> = {
    ok: errStyle.green("✓"),
    warning: errStyle.yellow("!"),
    error: errStyle.red("✗"),
    done: errStyle.dim("·"),
  };
  return {
    json,
    quiet,
    style,
    line: (text = "") => {
      if (people) toOut(text);
    },
    problem: (text) => {
      if (!json) toErr(text);
    },
    step: (label) => {
      const started = performance.now();
      if (people) toErr(`${errStyle.dim("›")} ${label}…`);
      return (detail, outcome) => {
        if (!people) return;
        const ms = Math.round(performance.now() - started);
        toErr(
          `${marks[outcome ?? "done"]} ${label}${detail ? ` ${errStyle.dim(`(${detail}, ${ms} ms)`)}` : errStyle.dim(` (${ms} ms)`)}`,
        );
      };
    },
    result: (value) => {
      if (json) stdout.write(`${JSON.stringify(withSeverity(value), null, 2)}\n`);
    },
  };
}

// The `problems` of a result document, each with its severity spelled out.
function withSeverity(value: unknown): unknown {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return value;
  const { problems } = value as { problems?: unknown };
  if (!Array.isArray(problems)) return value;
  return {
    ...value,
    problems: problems.map((p: unknown) =>
      typeof p === "object" && p !== null
        ? { ...p, severity: (p as { severity?: unknown }).severity === "warning" ? "warning" : "error" }
        : p,
    ),
  };
}

/**
 * Formats a byte count the way wrangler does (KiB/MiB, binary).
 *
 * @example
 * ```ts
 * formatBytes(1536) // "1.50 KiB"
 * ```
 */
export function formatBytes(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${(bytes / 1024).toFixed(2)} KiB`;
  return `${(bytes / 1024 / 1024).toFixed(2)} MiB`;
}

/**
 * Left-aligned text columns, widths from the widest cell (ANSI codes excluded).
 *
 * @example
 * ```ts
 * table([["GET", "/"], ["POST", "/api/orders"]]) // ["GET   /", "POST  /api/orders"]
 * ```
 */
export function table(rows: string[][], gap = 2): string[] {
  const visible = (s: string) => stripAnsi(s).length;
  const widths: number[] = [];
  for (const row of rows) row.forEach((cell, i) => (widths[i] = Math.max(widths[i] ?? 0, visible(cell))));
  return rows.map((row) =>
    row
      .map((cell, i) =>
        i === row.length - 1 ? cell : cell + " ".repeat((widths[i] ?? 0) - visible(cell) + gap),
      )
      .join("")
      .trimEnd(),
  );
}
