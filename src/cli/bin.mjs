#!/usr/bin/env node
// The `skiff` executable. The CLI and the user's app are TypeScript, and `import "skiff"` must resolve to the
// sources (the package's `skiff-source` export condition), so this registers tsx's loader and a resolve hook that
// adds the condition, in this process, before loading the CLI. Run with the flags already given
// (`node --conditions=skiff-source --import tsx src/cli/main.ts`), it only loads the CLI.
import { register } from "node:module";

if (!process.execArgv.some((flag) => flag.includes("skiff-source"))) {
  const { register: registerTsx } = await import("tsx/esm/api");
  registerTsx();
  const hook =
    'export async function resolve(specifier, context, next) { return next(specifier, { ...context, conditions: [...new Set([...context.conditions, "skiff-source"])] }); }';
  register(`data:text/javascript,${encodeURIComponent(hook)}`);
}
await import("./main.ts");
