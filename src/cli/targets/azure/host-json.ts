import { existsSync, readFileSync } from "node:fs";
import type { AppManifest } from "../../app/manifest.js";
import type { Problem } from "../../errors.js";
import type { TargetInput } from "../types.js";

/**
 * The queue settings a function app needs for skiff's contract, derived from the app's consumers: Azure moves a
 * Storage message to `<queue>-poison` after `maxDequeueCount` failed attempts, one setting for the whole app, so it
 * is the largest `maxRetries + 1` (a consumer with fewer retries dead-letters itself earlier); a failed message
 * reappears after `visibilityTimeout`, so it is the largest `retryDelaySeconds` (a retry delay is a minimum).
 * https://learn.microsoft.com/azure/azure-functions/functions-bindings-storage-queue#host-json
 *
 * @example
 * ```ts
 * queueSettings(manifest); // { maxDequeueCount: 3, visibilityTimeoutSeconds: 0 }
 * ```
 */
export function queueSettings(manifest: AppManifest): {
  maxDequeueCount: number;
  visibilityTimeoutSeconds: number;
} {
  const consumers = manifest.queues.flatMap((q) => (q.consumer ? [q.consumer.options] : []));
  return {
    maxDequeueCount: Math.max(1, ...consumers.map((o) => o.maxRetries + 1)),
    visibilityTimeoutSeconds: Math.max(0, ...consumers.map((o) => o.retryDelaySeconds)),
  };
}

const timeSpan = (seconds: number): string =>
  [Math.floor(seconds / 3600), Math.floor((seconds % 3600) / 60), seconds % 60]
    .map((n) => String(n).padStart(2, "0"))
    .join(":");

const parseTimeSpan = (text: unknown): number | undefined => {
  const m = typeof text === "string" ? /^(?:(\d+)\.)?(\d{1,2}):(\d{2}):(\d{2})$/.exec(text.trim()) : null;
  if (!m) return undefined;
  return Number(m[1] ?? 0) * 86_400 + Number(m[2]) * 3600 + Number(m[3]) * 60 + Number(m[4]);
};

/**
 * The `host.json` of a skiff function app: version 2.0, the extension bundle (timer, Storage and Service Bus
 * triggers), `routePrefix: ""` so the app sees its own paths (Azure's default prefix is `/api`), and the Storage
 * queue settings of {@link queueSettings} with `messageEncoding: base64` (what skiff's producer writes).
 * https://learn.microsoft.com/azure/azure-functions/functions-host-json
 *
 * @example
 * ```ts
 * JSON.stringify(azureHostJson(manifest), null, 2);
 * ```
 */
export function azureHostJson(manifest: AppManifest): Record<string, unknown> {
  const { maxDequeueCount, visibilityTimeoutSeconds } = queueSettings(manifest);
  return {
    version: "2.0",
    extensionBundle: { id: "Microsoft.Azure.Functions.ExtensionBundle", version: "[4.*, 5.0.0)" },
    extensions: {
      http: { routePrefix: "" },
      queues: {
        maxDequeueCount,
        visibilityTimeout: timeSpan(visibilityTimeoutSeconds),
        batchSize: 16,
        newBatchThreshold: 8,
        messageEncoding: "base64",
      },
      serviceBus: { autoCompleteMessages: true, maxConcurrentCalls: 16 },
    },
    logging: { logLevel: { default: "Information" } },
  };
}

/**
 * The `local.settings.json` example for `func start`: the Node worker, Azurite as `AzureWebJobsStorage`, the
 * database settings and every variable the app declares in `skiff.env`.
 * https://learn.microsoft.com/azure/azure-functions/functions-develop-local#local-settings-file
 *
 * @example
 * ```ts
 * localSettings(input).Values.AzureWebJobsStorage; // "UseDevelopmentStorage=true"
 * ```
 */
export function localSettings(input: TargetInput): { IsEncrypted: false; Values: Record<string, string> } {
  const values: Record<string, string> = {
    FUNCTIONS_WORKER_RUNTIME: "node",
    AzureWebJobsStorage: "UseDevelopmentStorage=true",
    TURSO_DATABASE_URL: "libsql://<db>-<org>.turso.io",
    TURSO_AUTH_TOKEN: "",
  };
  for (const variable of input.project.env) values[variable.name] = variable.default ?? "";
  return { IsEncrypted: false, Values: values };
}

/**
 * Checks a project's own `host.json` (when it has one) against the app: the settings without which skiff's
 * contract breaks are errors (no extension bundle, a `routePrefix` that moves every route, a `maxDequeueCount`
 * that poisons messages before `maxRetries` is spent, a message encoding skiff's producer does not write); a
 * `visibilityTimeout` shorter than a consumer's retry delay is a warning.
 *
 * @example
 * ```ts
 * checkHostJson(manifest, "/repo/host.json", "host.json"); // [] for the generated host.json
 * ```
 */
export function checkHostJson(manifest: AppManifest, file: string, label: string): Problem[] {
  if (!existsSync(file)) return [];
  let config: {
    version?: unknown;
    extensionBundle?: { id?: unknown };
    extensions?: { http?: { routePrefix?: unknown }; queues?: Record<string, unknown> };
  };
  try {
    config = JSON.parse(readFileSync(file, "utf8")) as typeof config;
  } catch (error) {
    return [{ target: "azure", file: label, message: `${label} is not valid JSON: ${String(error)}` }];
  }
  const problem = (message: string, fix: string, severity?: "warning"): Problem => ({
    target: "azure",
    file: label,
    message,
    fix,
    ...(severity ? { severity } : {}),
  });
  const problems: Problem[] = [];
  if (config.version !== "2.0")
    problems.push(problem(`${label} has version ${JSON.stringify(config.version)}`, `set "version": "2.0"`));
  if (config.extensionBundle?.id !== "Microsoft.Azure.Functions.ExtensionBundle")
    problems.push(
      problem(
        `${label} has no extension bundle, so the timer, Storage queue and Service Bus triggers do not load`,
        `add "extensionBundle": { "id": "Microsoft.Azure.Functions.ExtensionBundle", "version": "[4.*, 5.0.0)" }`,
      ),
    );
  const prefix = config.extensions?.http?.routePrefix;
  if (prefix !== "" && manifest.routes.length > 0)
    problems.push(
      problem(
        `${label} serves every route under /${typeof prefix === "string" ? prefix : "api"} (extensions.http.routePrefix), so the app's routes answer 404 at their own paths`,
        `set "extensions": { "http": { "routePrefix": "" } }`,
      ),
    );
  const queues = config.extensions?.queues ?? {};
  const needed = queueSettings(manifest);
  const consumes = manifest.queues.some((q) => q.consumer);
  const dequeue = typeof queues.maxDequeueCount === "number" ? queues.maxDequeueCount : 5; // Azure's default
  if (consumes && dequeue < needed.maxDequeueCount)
    problems.push(
      problem(
        `${label} moves a Storage message to its poison queue after ${dequeue} attempts, before the app's maxRetries is spent (it needs ${needed.maxDequeueCount})`,
        `set "extensions": { "queues": { "maxDequeueCount": ${needed.maxDequeueCount} } }`,
      ),
    );
  if (consumes && queues.messageEncoding !== undefined && queues.messageEncoding !== "base64")
    problems.push(
      problem(
        `${label} sets messageEncoding ${JSON.stringify(queues.messageEncoding)}, but skiff's producer writes base64 (Azure's default)`,
        `remove "messageEncoding" or set it to "base64"`,
      ),
    );
  const visibility = parseTimeSpan(queues.visibilityTimeout) ?? 0;
  if (consumes && visibility < needed.visibilityTimeoutSeconds)
    problems.push(
      problem(
        `${label} makes a failed Storage message visible again after ${visibility} s, sooner than a consumer's retryDelaySeconds (${needed.visibilityTimeoutSeconds})`,
        `set "extensions": { "queues": { "visibilityTimeout": "${timeSpan(needed.visibilityTimeoutSeconds)}" } }`,
        "warning",
      ),
    );
  return problems;
}
