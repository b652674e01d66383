import { ConfigError } from "../../errors.js";
import type { CloudflareWorkflowBinding } from "../../workflows/cloudflare/types.js";
import type { KVNamespaceBinding, QueueBinding, R2BucketBinding } from "./types.js";

/**
 * Reads a binding from a Worker's `env` when first needed and checks its shape, so a missing or mistyped binding
 * fails with the name to fix and the `wrangler.toml` line that declares it, instead of "undefined is not a
 * function" deep inside a handler.
 *
 * @example
 * ```ts
 * const kv = lookupBinding(env, "KV", isKVNamespace, "a KV namespace", '[[kv_namespaces]] binding = "KV" id = "..."');
 * ```
 */
export function lookupBinding<T>(
  env: Record<string, unknown>,
  name: string,
  is: (value: unknown) => value is T,
  kind: string,
  declaration: string,
): T {
  const value = env[name];
  if (value === undefined) {
    throw new ConfigError(
      `the Worker has no binding ${name}: declare ${kind} in wrangler.toml (${declaration})`,
      { variable: name },
    );
  }
  if (!is(value)) {
    throw new ConfigError(
      `the Worker binding ${name} is not ${kind} (got ${typeof value}); check its declaration in wrangler.toml (${declaration})`,
      {
        variable: name,
      },
    );
  }
  return value;
}

/**
 * @internal Whether a binding looks like a KV namespace (has get/put/list).
 *
 * @example
 * ```ts
 * isKVNamespace(env.KV); // true
 * ```
 */
export function isKVNamespace(value: unknown): value is KVNamespaceBinding {
  return hasMethods(value, ["get", "put", "list"]);
}

/**
 * @internal Whether a binding looks like a Queue producer (has sendBatch).
 *
 * @example
 * ```ts
 * isQueue(env.ORDERS); // true
 * ```
 */
export function isQueue(value: unknown): value is QueueBinding {
  return hasMethods(value, ["sendBatch"]);
}

/**
 * @internal Whether a binding looks like an R2 bucket (has head/get/put/list/delete; a KV namespace has no head).
 *
 * @example
 * ```ts
 * isR2Bucket(env.UPLOADS); // true
 * ```
 */
export function isR2Bucket(value: unknown): value is R2BucketBinding {
  return hasMethods(value, ["head", "get", "put", "list", "delete"]);
}

/**
 * @internal Whether a binding looks like a Workflow (has get/create).
 *
 * @example
 * ```ts
 * isWorkflow(env.CHECKOUT_WORKFLOW); // true
 * ```
 */
export function isWorkflow(value: unknown): value is CloudflareWorkflowBinding {
  return hasMethods(value, ["get", "create"]);
}

// Bindings are host objects; some (RPC stubs) report typeof "function".
function hasMethods(value: unknown, names: readonly string[]): boolean {
  if ((typeof value !== "object" || value === null) && typeof value !== "function") return false;
  const methods = value as Record<string, unknown>;
  return names.every((name) => typeof methods[name] === "function");
}
