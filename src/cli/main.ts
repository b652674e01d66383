import { defineCommand, renderUsage, runMain } from "citty";
import { colorEnabled } from "./output.js";

/**
 * The `skiff` command: `dev`, `build`, `check` and `routes`, each with `--help`.
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
    version: "0.1.0",
    description: "Run, build and check a skiff app for Cloudflare Workers, Vercel, AWS Lambda and Node",
  },
  // Loaded on use, so `skiff --help` and each command start without the others' dependencies (esbuild, adapters).
  subCommands: {
    dev: () => import("./commands/dev.js").then((m) => m.devCommand),
    build: () => import("./commands/build.js").then((m) => m.buildCommand),
    check: () => import("./commands/check.js").then((m) => m.checkCommand),
    routes: () => import("./commands/routes.js").then((m) => m.routesCommand),
  },
});

// citty colours its usage text unconditionally; keep colours to a TTY without NO_COLOR like every other line.
await runMain(main, {
  showUsage: async (cmd, parent) => {
    const usage = await renderUsage(cmd, parent);
    console.log(colorEnabled(process.stdout) ? usage : usage.replace(/\x1b\[\d+m/g, ""));
  },
});
