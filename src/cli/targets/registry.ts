import { CliError } from "../errors.js";
import { azure } from "./azure/target.js";
import { gcp } from "./gcp/target.js";
import { netlify } from "./netlify/target.js";
import { bun } from "./bun/target.js";
import { deno } from "./deno/target.js";
import { cloudflare } from "./cloudflare/target.js";
import { lambda } from "./lambda/target.js";
import { node } from "./node/target.js";
import { TARGET_NAMES, type Target, type TargetInput, type TargetName } from "./types.js";
import { vercel } from "./vercel/target.js";

const TARGETS: Record<TargetName, Target> = {
  cloudflare,
  vercel,
  lambda,
  node,
  deno,
  bun,
  azure,
  gcp,
  netlify,
};

/**
 * The input a target sees: `--entry` when given, else the `skiff.entries.<target>` field of package.json (with
 * `entrySource` saying so, for messages), else the input as is, so the target looks for its default entry.
 *
 * @example
 * ```ts
 * forTarget(input, "vercel").entry // "/repo/app/api/[[...route]]/route.ts" from "skiff.entries.vercel"
 * ```
 */
export function forTarget(input: TargetInput, name: TargetName): TargetInput {
  if (input.entry) return { ...input, entrySource: input.entrySource ?? "--entry" };
  const named = input.project.entries[name];
  return named ? { ...input, entry: named, entrySource: `"skiff.entries.${name}" in package.json` } : input;
}

// Every method gets the input with skiff.entries applied, so no target reads package.json itself.
function withEntries(target: Target): Target {
  const at = (input: TargetInput) => forTarget(input, target.name);
  return {
    name: target.name,
    ...(target.warnWhenMissing ? { warnWhenMissing: true } : {}),
    defaultEntry: (input) => target.defaultEntry(at(input)),
    resolveEntry: (input) => target.resolveEntry(at(input)),
    edge: (input, entry) => target.edge(at(input), entry),
    bundleSpec: (input, entry, outDir) => target.bundleSpec(at(input), entry, outDir),
    ...(target.shipsBinary ? { shipsBinary: target.shipsBinary.bind(target) } : {}),
    limits: (input, entry) => target.limits(at(input), entry),
    check: (input, entry) => target.check(at(input), entry),
    emit: (input, entry, outDir, result) => target.emit(at(input), entry, outDir, result),
  };
}

const WRAPPED = Object.fromEntries(TARGET_NAMES.map((name) => [name, withEntries(TARGETS[name])])) as Record<
  TargetName,
  Target
>;

/**
 * The {@link Target} called `name` (`worker` is accepted for `cloudflare`), with the `skiff.entries` of
 * package.json applied (see {@link forTarget}); a {@link CliError} listing the targets otherwise.
 *
 * @example
 * ```ts
 * getTarget("lambda").resolveEntry(input);
 * ```
 */
export function getTarget(name: string): Target {
  const key = name === "worker" ? "cloudflare" : name;
  const target = Object.hasOwn(WRAPPED, key) ? WRAPPED[key as TargetName] : undefined;
  if (!target) throw new CliError(`unknown target "${name}" (targets: ${TARGET_NAMES.join(", ")})`);
  return target;
}
