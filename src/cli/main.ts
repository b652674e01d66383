import { defineCommand, renderUsage, runCommand, type CommandDef } from "citty";
import { CliError } from "./errors.js";
import { colorEnabled, createOutput, stripAnsi } from "./output.js";
import { checkArgs, closest } from "./commands/shared.js";

const VERSION = "0.1.0";
// Loaded on use, so `skiff --help` and each command start without the others' dependencies (esbuild, adapters).
const SUBCOMMANDS: Record<string, () => Promise<CommandDef>> = {
  dev: () => import("./commands/dev.js").then((m) => m.devCommand as CommandDef),
  build: () => import("./commands/build.js").then((m) => m.buildCommand as CommandDef),
  check: () => import("./commands/check.js").then((m) => m.checkCommand as CommandDef),
  routes: () => import("./commands/routes.js").then((m) => m.routesCommand as CommandDef),
  workflows: () => import("./commands/workflows.js").then((m) => m.workflowsCommand as CommandDef),
  openapi: () => import("./commands/openapi.js").then((m) => m.openapiCommand as CommandDef),
  cost: () => import("./commands/cost.js").then((m) => m.costCommand as CommandDef),
};
const COMMANDS = Object.keys(SUBCOMMANDS);

/**
 * The `skiff` command: `dev`, `build`, `check`, `routes`, `workflows` (with its own commands), `openapi` and `cost`,
 * each with `--help`.
 *
 * @example
 * ```sh
 * skiff build --target cloudflare
 * skiff check --json
 * ```
 */
export const main = defineCommand({
  meta: {
    name: "skiff",
    version: VERSION,
    description: "Run, build, check, document (OpenAPI) and cost a skiff app on every target",
  },
  subCommands: SUBCOMMANDS,
});

// citty's runMain ignores unknown flags, exits 1 on an unknown command and colours its messages whatever the
// stream; skiff parses the command line strictly itself and hands citty only the command's own arguments.
async function run(rawArgs: string[]): Promise<number> {
  const first = rawArgs[0];
  if (first === undefined || first === "--help" || first === "-h") {
    await printUsage(main as CommandDef, undefined, first === undefined ? process.stderr : process.stdout);
    if (first !== undefined) return 0;
    throw new CliError(`no command given: skiff ${COMMANDS.join("|")}`);
  }
  if ((first === "--version" || first === "-v") && rawArgs.length === 1) {
    process.stdout.write(`${VERSION}\n`);
    return 0;
  }
  if (first.startsWith("-"))
    throw new CliError(
      `unknown option ${first} for skiff: options go after the command (skiff <command> ${first}); skiff --help lists the commands`,
    );
  const load = Object.hasOwn(SUBCOMMANDS, first) ? SUBCOMMANDS[first] : undefined;
  if (!load) {
    const guess = closest(first, COMMANDS);
    throw new CliError(
      `unknown command "${first}"${guess ? `. Did you mean "${guess}"?` : ""} (commands: ${COMMANDS.join(", ")})`,
    );
  }
  // A command with commands of its own (skiff workflows list): the next word names one of them.
  let command = await load();
  let parent = main as CommandDef;
  let path = first;
  let args = rawArgs.slice(1);
  for (let subs = await commandsOf(command); subs; subs = await commandsOf(command)) {
    const names = Object.keys(subs);
    const word = args[0];
    if (word === undefined || word === "--help" || word === "-h") {
      await printUsage(command, parent, word === undefined ? process.stderr : process.stdout);
      if (word !== undefined) return 0;
      throw new CliError(`no command given: skiff ${path} ${names.join("|")}`);
    }
    if (word.startsWith("-"))
      throw new CliError(
        `unknown option ${word} for skiff ${path}: options go after the command (skiff ${path} <command> ${word}); skiff ${path} --help lists the commands`,
      );
    const sub = Object.hasOwn(subs, word) ? subs[word] : undefined;
    if (!sub) {
      const guess = closest(word, names);
      throw new CliError(
        `unknown command "${word}" for skiff ${path}${guess ? `. Did you mean "${guess}"?` : ""} (commands: ${names.join(", ")})`,
      );
    }
    parent = { meta: { name: `skiff ${path}`, version: VERSION } };
    command = typeof sub === "function" ? await sub() : await sub;
    path = `${path} ${word}`;
    args = args.slice(1);
  }
  const end = args.indexOf("--");
  if ((end === -1 ? args : args.slice(0, end)).some((a) => a === "--help" || a === "-h")) {
    await printUsage(command, parent, process.stdout);
    return 0;
  }
  const defs = typeof command.args === "function" ? await command.args() : await command.args;
  checkArgs(path, args, (defs ?? {}) as Record<string, { type?: string }>);
  await runCommand(command, { rawArgs: args });
  return Number(process.exitCode ?? 0);
}

async function commandsOf(
  command: CommandDef,
): Promise<Record<string, CommandDef | (() => Promise<CommandDef>)> | undefined> {
  const subs =
    typeof command.subCommands === "function" ? await command.subCommands() : await command.subCommands;
  return subs && Object.keys(subs).length ? (subs as Record<string, CommandDef>) : undefined;
}

// citty colours its usage text unconditionally; keep colours to a TTY without NO_COLOR like every other line.
async function printUsage(cmd: CommandDef, parent: CommandDef | undefined, stream: NodeJS.WriteStream) {
  const usage = await renderUsage(cmd, parent);
  stream.write(`${colorEnabled(stream) ? usage : stripAnsi(usage)}\n`);
}

const rawArgs = process.argv.slice(2);
try {
  process.exitCode = await run(rawArgs);
} catch (error) {
  // A command line skiff cannot run (exit 2), as a JSON document with --json like every other failure.
  const json = rawArgs.includes("--json");
  const out = createOutput({ json });
  const message = error instanceof Error ? error.message : String(error);
  if (error instanceof CliError || (error instanceof Error && error.name === "CLIError")) {
    const text = message.startsWith("[skiff]") ? message : `[skiff] ${stripAnsi(message)}`;
    out.result({ ok: false, error: text });
    out.problem(out.style.red(text));
  } else {
    // A bug, not a usage error: the stack helps whoever reports it.
    out.result({ ok: false, error: `[skiff] ${message}` });
    if (!json) console.error(error);
  }
  process.exitCode = error instanceof CliError ? error.exitCode : 2;
}
