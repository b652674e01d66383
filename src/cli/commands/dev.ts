import { mkdirSync } from "node:fs";
import { join, relative, dirname } from "node:path";
import { defineCommand } from "citty";
import { serveHrana } from "../../dev/hrana/server.js";
import { findWrangler, NODE_SERVER, runChild, tsxFlags } from "../dev/spawn.js";
import { CliError } from "../errors.js";
import { resolveProject } from "../project.js";
import { loadContext } from "../run/context.js";
import { getTarget } from "../targets/registry.js";
import { readWranglerConfig, WRANGLER_CONFIG_FILES } from "../targets/cloudflare/wrangler-config.js";
import { supportedCompatibilityDate } from "../targets/cloudflare/workerd.js";
import { printApp } from "./print-app.js";
import { commonArgs, guard } from "./shared.js";

/**
 * `skiff dev [--target node|worker]`: runs the app locally with embedded defaults and prints its URL, routes,
 * crons (with next run) and queues. `node` serves it in Node (libSQL file, local queue, scheduler) and restarts on
 * every change to a file it imports (`node --watch`); `worker` serves `.skiff/dev.db` over the local libSQL HTTP
 * endpoint and runs `wrangler dev --test-scheduled` on the Worker entry with `TURSO_DATABASE_URL` pointing at it
 * (wrangler reloads on change), with the project's `wrangler.json`, `wrangler.jsonc` or `wrangler.toml` (wrangler's
 * precedence) and, when its `compatibility_date` is later than the installed workerd supports, that newest date.
 *
 * @example
 * ```sh
 * skiff dev                 # http://127.0.0.1:8787
 * skiff dev --target worker --port 8788
 * ```
 */
export const devCommand = defineCommand({
  meta: {
    name: "dev",
    description: "Run the app locally (Node, or the Worker in wrangler dev) and reload on change",
  },
  args: {
    ...commonArgs,
    target: {
      type: "string",
      alias: "t",
      default: "node",
      valueHint: "node|worker",
      description: "Run in Node, or as a Worker in wrangler dev",
    },
    port: {
      type: "string",
      alias: "p",
      default: "8787",
      valueHint: "port",
      description: "Port to listen on (0: any free port)",
    },
    watch: {
      type: "boolean",
      default: true,
      negativeDescription: "Do not restart on change (node)",
      description: "Restart on change",
    },
    config: {
      type: "string",
      valueHint: "file",
      description: "worker: wrangler config (default: wrangler.json, wrangler.jsonc or wrangler.toml)",
    },
  },
  run: ({ args }) =>
    guard(args, async (out) => {
      const project = resolveProject({ root: args.root, app: args.app });
      if (!/^\d+$/.test(args.port)) throw new CliError(`--port ${args.port} is not a port number`);
      if (args.target === "node") {
        const flags = [...tsxFlags(), ...(args.watch ? ["--watch", "--watch-preserve-output"] : [])];
        const childArgs = [
          NODE_SERVER,
          "--root",
          project.root,
          "--app",
          project.app,
          "--port",
          args.port,
          ...(args.json ? ["--json"] : []),
        ];
        // From the project root, so the embedded database lands in its .skiff/dev.db.
        return runChild(process.execPath, [...flags, ...childArgs], { cwd: project.root });
      }
      if (args.target !== "worker" && args.target !== "cloudflare")
        throw new CliError(`--target ${args.target}: dev runs node or worker`);
      const context = await loadContext({ root: args.root, app: args.app });
      const entry = getTarget("cloudflare").resolveEntry({ ...context });
      const wrangler = findWrangler(project.root);
      if (!wrangler) throw new CliError("wrangler is not installed: npm install -D wrangler");
      const found = readWranglerConfig(project.root, args.config);
      if (!found)
        throw new CliError(
          `no valid wrangler config: ${args.config ?? WRANGLER_CONFIG_FILES.join(", ")} (run skiff check --target cloudflare to see why, or to get one)`,
        );
      const config = found.file;
      // wrangler dev refuses a date its workerd does not know (and, with none, uses today's); production accepts
      // dates up to today.
      const supported = supportedCompatibilityDate(project.root);
      const date = found.config.compatibility_date;
      const dateArgs =
        typeof date !== "string" || date > supported ? ["--compatibility-date", supported] : [];
      mkdirSync(join(project.root, ".skiff"), { recursive: true });
      const database = await serveHrana({ url: `file:${join(project.root, ".skiff", "dev.db")}`, port: 0 });
      try {
        out.result({ url: `http://127.0.0.1:${args.port}`, database: database.url, ...context.manifest });
        out.line(
          `${out.style.bold("skiff dev --target worker")} ${out.style.dim(`wrangler dev on :${args.port}; libSQL endpoint ${database.url} (.skiff/dev.db); fire crons at /__scheduled?cron=...`)}`,
        );
        if (dateArgs.length)
          out.line(
            out.style.yellow(
              typeof date === "string"
                ? `compatibility_date ${date} is later than the installed workerd supports; running with ${supported}`
                : `no compatibility_date in ${project.rel(config)}; running with ${supported}, the newest the installed workerd supports`,
            ),
          );
        printApp(out, context.manifest);
        const main = relative(dirname(config), entry);
        const wranglerArgs = [
          "dev",
          main,
          "--config",
          config,
          "--port",
          args.port,
          "--ip",
          "127.0.0.1",
          "--test-scheduled",
          "--var",
          `TURSO_DATABASE_URL:${database.url}`,
          ...dateArgs,
        ];
        return await runChild(process.execPath, [wrangler, ...wranglerArgs], { cwd: dirname(config) });
      } finally {
        await database.close();
      }
    }),
});
