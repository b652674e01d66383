// The process `skiff dev --target node` runs under `node --watch`: loads the app, serves it with the embedded
// defaults and prints the banner. Node restarts this process whenever a file it imported changes.
import { parseArgs } from "node:util";
import { defaultDatabaseUrl } from "../../adapters/node/options.js";
import { serve } from "../../adapters/node/to-node.js";
import type { Skiff } from "../../app.js";
import { describeApp } from "../app/manifest.js";
import { loadApp } from "../app/load.js";
import { printApp } from "../commands/print-app.js";
import { createOutput } from "../output.js";
import { resolveProject } from "../project.js";

const { values } = parseArgs({
  options: {
    root: { type: "string" },
    app: { type: "string" },
    port: { type: "string" },
    json: { type: "boolean" },
  },
});
const out = createOutput({ json: values.json === true });
try {
  const project = resolveProject({ root: values.root, app: values.app });
  const app = await loadApp(project);
  const server = await serve(app as unknown as Skiff, {
    port: Number(values.port ?? 8787),
    projectDir: project.root,
  });
  const manifest = describeApp(app);
  out.result({ url: server.url, ...manifest });
  out.line(
    `${out.style.bold("skiff dev")} ${out.style.green(server.url)} ${out.style.dim(`(node, ${project.rel(project.app)}; database ${process.env.TURSO_DATABASE_URL ?? defaultDatabaseUrl(project.root)}; reloads on change)`)}`,
  );
  printApp(out, manifest);
} catch (error) {
  out.problem(out.style.red(error instanceof Error ? error.message : String(error)));
  out.result({ ok: false, error: error instanceof Error ? error.message : String(error) });
  // Stay alive under --watch so that fixing the file restarts the server; Node exits on its own otherwise.
  process.exitCode = 1;
}
