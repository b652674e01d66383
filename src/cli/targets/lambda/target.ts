import { writeFileSync } from "node:fs";
import { join } from "node:path";
import type { BundleSpec } from "../../bundle/bundle.js";
import { MiB } from "../../bundle/sizes.js";
import { appDir } from "../../project.js";
import { entryFile } from "../entry.js";
import type { Target, TargetInput } from "../types.js";
import { LAMBDA_ESBUILD_TARGET } from "./runtime.js";
import { samTemplate } from "./sam-template.js";
import { bucketsOf } from "./sam-buckets.js";

const options = (input: TargetInput) => ({
  source: input.project.rel(input.project.app),
  env: input.project.env,
  buckets: bucketsOf(input.app),
});

/**
 * AWS Lambda: bundles `lambda.ts` (or `skiff.entries.lambda`) for the Node of the function's runtime
 * ({@link LAMBDA_ESBUILD_TARGET}) as `index.mjs` (native `libsql` shipped beside it with the Linux x86_64 binary),
 * checks the deployment package against Lambda's 50 MiB zipped / 250 MiB unzipped limits, and writes the SAM
 * `template.yaml` next to it (see {@link samTemplate}), so `sam deploy -t .skiff/build/lambda/template.yaml --guided`
 * deploys the directory as is.
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
  bundleSpec: (input, entry, outDir) => {
    // `target` is esbuild's: the Node the SAM template's Runtime runs, from one constant.
    const spec: BundleSpec & { target?: string } = {
      root: input.project.root,
      entry,
      outDir,
      outFile: "index.mjs",
      runtime: "node",
      conditions: ["node"],
      external: ["libsql"],
      target: LAMBDA_ESBUILD_TARGET,
      // Lambda's Node (LAMBDA_RUNTIME) has a global WebSocket: ws stays out of the bundle every cold start parses.
      globalWebSocket: true,
    };
    return spec;
  },
  shipsBinary: (dependency) => /linux-x64-gnu$/.test(dependency),
  limits: () => [
    { measure: "zipped", bytes: 50 * MiB, label: "Lambda: 50 MiB zipped (direct upload)" },
    { measure: "unzipped", bytes: 250 * MiB, label: "Lambda: 250 MiB unzipped" },
  ],
  async check(input) {
    return samTemplate(input.manifest, options(input)).problems;
  },
  async emit(input, _entry, outDir) {
    const { yaml, problems } = samTemplate(input.manifest, options(input));
    if (problems.length) return { files: [], problems };
    const file = join(outDir, "template.yaml");
    writeFileSync(file, yaml);
    return { files: [file], problems, notes: [`deploy: sam deploy -t ${input.project.rel(file)} --guided`] };
  },
};
