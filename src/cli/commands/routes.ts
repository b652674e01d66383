import { defineCommand } from "citty";
import { loadContext } from "../run/context.js";
import { printApp } from "./print-app.js";
import { commonArgs, guard } from "./shared.js";

/**
 * `skiff routes`: the app's route table (method, path, the middleware that runs before each handler), its crons
 * with their next run, and its queues with their consumers.
 *
 * @example
 * ```sh
 * skiff routes
 * skiff routes --json | jq '.crons'
 * ```
 */
export const routesCommand = defineCommand({
  meta: { name: "routes", description: "List the app's routes, crons (with next run) and queues" },
  args: { ...commonArgs },
  run: ({ args }) =>
    guard(args, async (out) => {
      const { manifest } = await loadContext({ root: args.root, app: args.app });
      out.result(manifest);
      printApp(out, manifest);
      return 0;
    }),
});
