import { CliError } from "../errors.js";
import { cloudflare } from "./cloudflare/target.js";
import { lambda } from "./lambda/target.js";
import { node } from "./node/target.js";
import { TARGET_NAMES, type Target, type TargetName } from "./types.js";
import { vercel } from "./vercel/target.js";

const TARGETS: Record<TargetName, Target> = { cloudflare, vercel, lambda, node };

/**
 * The {@link Target} called `name` (`worker` is accepted for `cloudflare`); a {@link CliError} listing the
 * targets otherwise.
 *
 * @example
 * ```ts
 * getTarget("lambda").resolveEntry(input);
 * ```
 */
export function getTarget(name: string): Target {
  const key = name === "worker" ? "cloudflare" : name;
  const target = TARGETS[key as TargetName];
  if (!target) throw new CliError(`unknown target "${name}" (targets: ${TARGET_NAMES.join(", ")})`);
  return target;
}
