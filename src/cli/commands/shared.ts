import { SkiffError } from "../../errors.js";
import { CliError, type Problem } from "../errors.js";
import { createOutput, type Output } from "../output.js";

/**
 * Arguments every command takes.
 *
 * @example
 * ```ts
 * defineCommand({ args: { ...commonArgs, target: { type: "string" } }, run: ... });
 * ```
 */
export const commonArgs = {
  app: {
    type: "string",
    valueHint: "file",
    description: 'App module (default: "skiff.app" in package.json, else src/app.ts)',
  },
  root: { type: "string", valueHint: "dir", description: "Project root (default: the current directory)" },
  json: { type: "boolean", description: "Print one JSON document on stdout, nothing else" },
  quiet: { type: "boolean", alias: "q", description: "Print problems only" },
} as const;

/**
 * Runs a command body with an {@link Output}, turning expected failures into a message and an exit code instead
 * of a stack trace: a {@link CliError} exits with its code (2: could not run), a framework `SkiffError` (for
 * example a bad cron expression in the app) with 2. In `--json` mode the failure is a JSON document too.
 *
 * @example
 * ```ts
 * run: (ctx) => guard(ctx.args, async (out) => { out.line("hello") }),
 * ```
 */
export async function guard(
  args: { json?: boolean; quiet?: boolean },
  body: (out: Output) => Promise<number>,
): Promise<void> {
  const out = createOutput({ json: args.json === true, quiet: args.quiet === true });
  try {
    process.exitCode = await body(out);
  } catch (error) {
    if (!(error instanceof CliError) && !(error instanceof SkiffError)) throw error;
    const message = error.message.startsWith("[skiff]") ? error.message : `[skiff] ${error.message}`;
    out.result({ ok: false, error: message });
    out.problem(out.style.red(message));
    process.exitCode = error instanceof CliError ? error.exitCode : 2;
  }
}

/**
 * Prints problems for people: errors in red, warnings in yellow, each with its fix indented below.
 *
 * @example
 * ```ts
 * printProblems(out, report.problems);
 * ```
 */
export function printProblems(out: Output, problems: Problem[]): void {
  const { red, yellow, dim } = out.style;
  for (const p of problems) {
    const mark = p.severity === "warning" ? yellow("warning") : red("error");
    out.problem(`${mark} ${p.target}${p.file ? ` ${p.file}` : ""}: ${p.message}`);
    if (p.fix) out.problem(dim(p.fix.trimEnd().replace(/^/gm, "    ")));
  }
}

/**
 * Splits a comma-separated or repeated flag into values.
 *
 * @example
 * ```ts
 * listArg("cloudflare,lambda") // ["cloudflare", "lambda"]
 * ```
 */
export function listArg(value: unknown): string[] {
  const values = Array.isArray(value) ? value : value === undefined || value === "" ? [] : [value];
  return values
    .flatMap((v) => String(v).split(","))
    .map((v) => v.trim())
    .filter(Boolean);
}

/**
 * The candidate closest to a mistyped word, for "did you mean": within an edit distance of a third of its length
 * (at least 1, transpositions count once), or one the word starts (`--out` → `--out-dir`).
 *
 * @example
 * ```ts
 * closest("biuld", ["dev", "build", "check"]) // "build"
 * closest("deploy", ["dev", "build"])          // undefined
 * ```
 */
export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: { candidate: string; distance: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(word, candidate);
    if (!best || distance < best.distance) best = { candidate, distance };
  }
  if (best && best.distance <= Math.max(1, Math.floor(word.length / 3))) return best.candidate;
  return word.length >= 2 ? candidates.find((c) => c.startsWith(word)) : undefined;
}

// Optimal string alignment distance (Levenshtein with adjacent transpositions).
function editDistance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  const at = (i: number, j: number) => d[i]?.[j] ?? 0;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let value = Math.min(at(i - 1, j) + 1, at(i, j - 1) + 1, at(i - 1, j - 1) + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, at(i - 2, j - 2) + 1);
      (d[i] as number[])[j] = value;
    }
  }
  return at(a.length, b.length);
}

/** One declared argument of a citty command, as far as parsing goes. */
interface ArgDef {
  type?: string;
  alias?: string | readonly string[];
}

/**
 * Checks a command's arguments against its declared ones before citty parses them (citty ignores what it does not
 * know): every `--flag`, `--flag=value`, `--no-flag` (booleans) and `-f` alias must be declared, a string flag takes
 * the next argument as its value (as `node:util` `parseArgs` does), and a positional argument is an error unless
 * the command declares one. Throws a {@link CliError} (exit 2) naming the argument, with a "did you mean" when a
 * declared one is close.
 *
 * @example
 * ```ts
 * checkArgs("build", ["--trget", "lambda"], buildCommand.args);
 * // CliError: [skiff] unknown option --trget for skiff build. Did you mean --target? (...)
 * ```
 */
export function checkArgs(
  command: string,
  rawArgs: readonly string[],
  defs: Readonly<Record<string, ArgDef>>,
): void {
  const long = new Map<string, ArgDef & { name: string }>();
  const short = new Map<string, ArgDef & { name: string }>();
  let positionals = 0;
  for (const [name, def] of Object.entries(defs)) {
    if (def.type === "positional") {
      positionals++;
      continue;
    }
    const entry = { ...def, name };
    const aliases = def.alias === undefined ? [] : typeof def.alias === "string" ? [def.alias] : def.alias;
    for (const n of [name, kebab(name), camel(name), ...aliases])
      (n.length === 1 ? short : long).set(n, entry);
  }
  const names = [...new Set([...long.values()].map((d) => d.name))].map(kebab);
  const unknown = (given: string, suggestion: string | undefined): never => {
    throw new CliError(
      `unknown option ${given} for skiff ${command}${suggestion ? `. Did you mean ${suggestion}?` : ""} (skiff ${command} --help lists the options)`,
    );
  };
  const takesValue = (def: ArgDef) => def.type === "string" || def.type === "enum";
  for (let i = 0; i < rawArgs.length; i++) {
    const arg = rawArgs[i] as string;
    if (arg === "--" || arg === "-" || !arg.startsWith("-")) {
      const rest = arg === "--" ? rawArgs.slice(i + 1) : [arg];
      if (rest.length > positionals)
        throw new CliError(
          `unexpected argument "${rest[positionals] ?? arg}" for skiff ${command} (skiff ${command} --help lists its options)`,
        );
      positionals -= rest.length;
      if (arg === "--") return;
      continue;
    }
    if (arg.startsWith("--")) {
      const [name = "", value] = arg.slice(2).split(/=(.*)/s);
      const def = long.get(name);
      if (def) {
        if (takesValue(def) && value === undefined && !rawArgs[i + 1]?.startsWith("--no-")) i++;
        continue;
      }
      const negated = name.startsWith("no-") ? long.get(name.slice(3)) : undefined;
      if (negated && negated.type === "boolean" && value === undefined) continue;
      const base = name.startsWith("no-") ? name.slice(3) : name;
      const guess = closest(base, names);
      unknown(`--${name}`, guess && (base === name ? `--${guess}` : `--no-${guess}`));
    }
    // -q, -t value, -p8788, -qt value: short aliases, the last of a group may take a value.
    const letters = arg.slice(1);
    for (let k = 0; k < letters.length; k++) {
      const def = short.get(letters[k] as string);
      if (!def) unknown(`-${letters[k]}`, undefined);
      else if (takesValue(def)) {
        if (k === letters.length - 1) i++;
        break;
      }
    }
  }
}

function kebab(name: string): string {
  return name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

function camel(name: string): string {
  return name.replace(/-([a-z])/g, (_, c: string) => c.toUpperCase());
}
