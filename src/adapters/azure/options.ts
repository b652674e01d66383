import type { Client, Config } from "@libsql/client";
import { SkiffError } from "../../errors.js";
import type { TriggerRegistry } from "../../triggers/registry.js";
import type { AzureFunctionsApp } from "./types.js";

/**
 * How one app queue maps to Azure: a Storage queue (default) or a Service Bus queue, its name on Azure (default the
 * app's name) and the app setting that holds its connection string (default `AzureWebJobsStorage` for Storage,
 * `ServiceBusConnection` for Service Bus), which both the trigger and skiff's producer read.
 *
 * @example
 * ```ts
 * const orders: AzureQueueOptions = { kind: "serviceBus", queueName: "shop-orders", connection: "ShopBus" };
 * ```
 */
export interface AzureQueueOptions {
  kind?: "storage" | "serviceBus";
  queueName?: string;
  connection?: string;
}

/**
 * Options of `toAzure()`. Everything has a default: `toAzure(app)` serves every route anonymously, registers each
 * cron and one Storage queue trigger per consumed queue on `AzureWebJobsStorage`.
 *
 * @example
 * ```ts
 * toAzure(app, { authLevel: "function", queues: { orders: { kind: "serviceBus" } } });
 * ```
 */
export interface AzureOptions {
  /** Where settings are read (`TURSO_*`, connection strings, `WEBSITE_TIME_ZONE`). Default `process.env`. */
  env?: Record<string, string | undefined>;
  /** The HTTP function's `authLevel`. Default `"anonymous"`: the app does its own auth. */
  authLevel?: "anonymous" | "function" | "admin";
  /** The HTTP function's route. Default `"{*path}"` (every path; the generated host.json sets routePrefix ""). */
  route?: string;
  /** Register the HTTP function. Default true. */
  http?: boolean;
  /** Per app queue: Storage or Service Bus, its Azure name and connection setting. */
  queues?: Readonly<Record<string, AzureQueueOptions>>;
  /**
   * The time zone crons fire in. Default `"utc"`, as on every platform: a `WEBSITE_TIME_ZONE` other than UTC is
   * refused at start-up. `"website"` accepts it (the schedules then fire in that zone's local time).
   */
  cronTimeZone?: "utc" | "website";
  /** The libSQL client factory. Default `@libsql/client` (`file:`, `libsql://`, `https://`). */
  createClient?: (config: Config) => Client;
  /** The clock a timer run reads its scheduled minute from. Default `Date.now`; tests pin it. */
  now?: () => number;
  /** The registration API. Default `@azure/functions`' `app`. */
  functions?: AzureFunctionsApp;
}

/**
 * @internal One consumed or produced queue, resolved.
 *
 * @example
 * ```ts
 * const orders: ResolvedAzureQueue = { kind: "storage", azureQueue: "orders", connection: "AzureWebJobsStorage" };
 * ```
 */
export interface ResolvedAzureQueue {
  kind: "storage" | "serviceBus";
  azureQueue: string;
  connection: string;
}

/**
 * @internal {@link AzureOptions} with defaults applied and checked once, at `toAzure()`.
 *
 * @example
 * ```ts
 * const resolved: ResolvedAzureOptions = resolveAzureOptions(app.triggers, {}, process.env);
 * ```
 */
export interface ResolvedAzureOptions {
  env: Record<string, string | undefined>;
  authLevel: "anonymous" | "function" | "admin";
  route: string;
  http: boolean;
  cronTimeZone: "utc" | "website";
  queues: ReadonlyMap<string, ResolvedAzureQueue>;
  createClient: ((config: Config) => Client) | undefined;
  now: () => number;
}

// https://learn.microsoft.com/rest/api/storageservices/naming-queues-and-metadata#queue-names
const STORAGE_NAME = /^(?=.{3,63}$)[a-z0-9](?:[a-z0-9]|-(?!-))*[a-z0-9]$/;
// https://learn.microsoft.com/azure/azure-resource-manager/management/resource-name-rules#microsoftservicebus
const BUS_NAME = /^[A-Za-z0-9](?:[A-Za-z0-9._/~-]{0,258}[A-Za-z0-9_])?$/;

/**
 * @internal Applies the defaults of {@link AzureOptions} and checks them against the app's queues, naming a bad
 * option.
 *
 * @example
 * ```ts
 * resolveAzureOptions(app.triggers, { queues: { orders: { kind: "serviceBus" } } }, process.env);
 * ```
 */
export function resolveAzureOptions(
  registry: TriggerRegistry,
  options: AzureOptions,
  env: Record<string, string | undefined>,
): ResolvedAzureOptions {
  const authLevel = options.authLevel ?? "anonymous";
  if (!["anonymous", "function", "admin"].includes(authLevel))
    throw new SkiffError(
      `toAzure: authLevel must be "anonymous", "function" or "admin" (got "${String(authLevel)}")`,
    );
  const cronTimeZone = options.cronTimeZone ?? "utc";
  if (cronTimeZone !== "utc" && cronTimeZone !== "website")
    throw new SkiffError(`toAzure: cronTimeZone must be "utc" or "website" (got "${String(cronTimeZone)}")`);
  const declared = [...registry.schemas.keys()];
  for (const name of Object.keys(options.queues ?? {}))
    if (!registry.schemas.has(name))
      throw new SkiffError(
        `toAzure: queues["${name}"] names a queue the app does not declare (declared: ${declared.map((q) => `"${q}"`).join(", ") || "none"})`,
      );
  const queues = new Map<string, ResolvedAzureQueue>();
  for (const name of declared) {
    const given = options.queues?.[name] ?? {};
    const kind = given.kind ?? "storage";
    if (kind !== "storage" && kind !== "serviceBus")
      throw new SkiffError(
        `toAzure: queues["${name}"].kind must be "storage" or "serviceBus" (got "${String(kind)}")`,
      );
    const azureQueue = given.queueName ?? name;
    if (!(kind === "storage" ? STORAGE_NAME : BUS_NAME).test(azureQueue))
      throw new SkiffError(
        kind === "storage"
          ? `toAzure: queue "${name}" maps to Storage queue "${azureQueue}", which Azure refuses: 3-63 lower-case letters, digits and single hyphens, starting and ending with a letter or digit; set queues["${name}"].queueName`
          : `toAzure: queue "${name}" maps to Service Bus queue "${azureQueue}", which Azure refuses: letters, digits, ".", "-", "_", "/", "~", at most 260; set queues["${name}"].queueName`,
      );
    const connection =
      given.connection ?? (kind === "storage" ? "AzureWebJobsStorage" : "ServiceBusConnection");
    queues.set(name, { kind, azureQueue, connection });
  }
  return {
    env,
    authLevel,
    route: options.route ?? "{*path}",
    http: options.http ?? true,
    cronTimeZone,
    queues,
    createClient: options.createClient,
    now: options.now ?? Date.now,
  };
}
