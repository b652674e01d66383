import { readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { defineCommand } from "citty";
import { stringify } from "yaml";
import { openApiDocument, servedOptions } from "../../openapi/document.js";
import type { OpenApiOptions } from "../../openapi/types.js";
import { CliError } from "../errors.js";
import { loadContext } from "../run/context.js";
import { commonArgs, guard } from "./shared.js";

/**
 * `skiff openapi`: the app's OpenAPI 3.1 document, from its routes' `validate()` and `responds()`/`describeRoute()`,
 * on stdout (or `--out`). When the app serves `openapi(app, options)` itself, the same options apply, so the file
 * equals what `/openapi.json` answers; otherwise the title and version come from package.json.
 *
 * @example
 * ```sh
 * skiff openapi > openapi.json
 * skiff openapi --format yaml --out openapi.yaml
 * ```
 */
export const openapiCommand = defineCommand({
  meta: {
    name: "openapi",
    description: "Print the app's OpenAPI 3.1 document (from validate() and responds())",
  },
  args: {
    app: commonArgs.app,
    root: commonArgs.root,
    format: { type: "string", valueHint: "json|yaml", description: "Output format (default json)" },
    out: { type: "string", valueHint: "file", description: "Write the document to a file instead of stdout" },
    quiet: commonArgs.quiet,
  },
  run: ({ args }) =>
    guard({ quiet: args.quiet }, async (out) => {
      const format = args.format ?? "json";
      if (format !== "json" && format !== "yaml")
        throw new CliError(`--format: "${format}" must be json or yaml`);
      const { project, app } = await loadContext({ root: args.root, app: args.app });
      const options: OpenApiOptions = servedOptions(app.routes) ?? { info: packageInfo(project.root) };
      const doc = openApiDocument(app, options);
      const text = format === "yaml" ? stringify(doc) : `${JSON.stringify(doc, null, 2)}\n`;
      if (args.out) {
        writeFileSync(args.out, text);
        out.problem(`wrote ${args.out} (${Object.keys(doc.paths).length} paths)`);
      } else process.stdout.write(text);
      return 0;
    }),
});

function packageInfo(root: string): { title: string; version: string } {
  let pkg: { name?: unknown; version?: unknown } | undefined;
  try {
    pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8")) as typeof pkg;
  } catch {
    pkg = undefined; // no package.json: a neutral title
  }
  const title = typeof pkg?.name === "string" ? pkg.name : "API";
  const version = typeof pkg?.version === "string" ? pkg.version : "0.0.0";
  return { title, version };
}
