import { writeFileSync } from "node:fs";
import { join } from "node:path";
import { MiB } from "../../bundle/sizes.js";
import { appDir } from "../../project.js";
import { entryFile } from "../entry.js";
import type { Target } from "../types.js";
import { samTemplate } from "./sam-template.js";

/**
 * AWS Lambda: bundles `lambda.ts` for Node 20 as `index.mjs` (native `libsql` shipped beside it with the
 * Linux x86_64 binary), checks the deployment package against Lambda's 50 MiB zipped / 250 MiB unzipped limits,
 * and writes the SAM `template.yaml` next to it (see {@link samTemplate}), so `sam deploy -t
 * .skiff/build/lambda/template.yaml --guided` deploys the directory as is.
 *
 * @example
 * ```ts
 * const entry = lambda.resolveEntry(input); // examples/shop/lambda.ts
 * ```
 */
export const lambda: Target = {
  name: "lambda",
  defaultEntry: (input) => join(appDir(input.project), "lambda.ts"),
  resolveEntry: (input) =>
    entryFile(
      input,
      "lambda.ts",
      "AWS Lambda",
      'import { toLambda } from "skiff/lambda"; export const handler = toLambda(app);',
    ),
  edge: () => false,
  bundleSpec: (input, entry, outDir) => ({
    root: input.project.root,
    entry,
    outDir,
    outFile: "index.mjs",
    runtime: "node",
    conditions: ["node"],
    external: ["libsql"],
  }),
  shipsBinary: (dependency) => /linux-x64-gnu$/.test(dependency),
  limits: () => [
    { measure: "zipped", bytes: 50 * MiB, label: "Lambda: 50 MiB zipped (direct upload)" },
    { measure: "unzipped", bytes: 250 * MiB, label: "Lambda: 250 MiB unzipped" },
  ],
  async check(input) {
    return samTemplate(input.manifest).problems;
  },
  async emit(input, _entry, outDir) {
    const { yaml, problems } = samTemplate(input.manifest, { source: input.project.rel(input.project.app) });
    if (problems.length) return { files: [], problems };
    const file = join(outDir, "template.yaml");
    writeFileSync(file, yaml);
    return { files: [file], problems, notes: [`deploy: sam deploy -t ${input.project.rel(file)} --guided`] };
  },
};
