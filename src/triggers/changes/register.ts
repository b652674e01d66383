import { SkiffError } from "../../errors.js";
import type { TriggerRegistry } from "../registry.js";
import { changeConsumer, CHANGE_QUEUE_OPTIONS, changeRelayCron } from "./consumer.js";
import { CHANGE_MESSAGE_SCHEMA, CHANGE_QUEUE, CHANGE_RELAY_CRON } from "./schema.js";
import type { ChangeHandler, ChangeOperation, ChangeOptions, ChangeSubscription } from "./types.js";

const subscriptionsOf = new WeakMap<TriggerRegistry, ChangeSubscription[]>();
const relayCrons = new WeakMap<TriggerRegistry, string>();
const OPERATIONS = new Set<string>(["insert", "update", "delete"]);

/** @internal The change handlers of an app (empty for an app without `app.onChange`). */
export function changeSubscriptions(registry: TriggerRegistry): readonly ChangeSubscription[] {
  return subscriptionsOf.get(registry) ?? [];
}

function whole(value: number | undefined, fallback: number, max: number, what: string): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 0 || v > max) {
    throw new SkiffError(`${what} must be an integer from 0 to ${max} (got ${String(value)})`);
  }
  return v;
}

function resolve(
  registry: TriggerRegistry,
  table: string,
  operations: ChangeOperation | readonly ChangeOperation[],
  handler: ChangeHandler,
  options: ChangeOptions,
): ChangeSubscription {
  const at = `app.onChange("${table}")`;
  if (!/^[A-Za-z_][A-Za-z0-9_]{0,62}$/.test(table) || /^(_skiff_|sqlite_)/i.test(table)) {
    throw new SkiffError(
      `${at}: the table name must be 1–63 letters, digits or "_" (not starting with a digit), and not a skiff or SQLite table`,
    );
  }
  const ops = [...new Set(typeof operations === "string" ? [operations] : operations)];
  if (ops.length === 0 || ops.some((op) => !OPERATIONS.has(op))) {
    throw new SkiffError(
      `${at}: operations must be "insert", "update", "delete" or a list of them (got ${JSON.stringify(operations)})`,
    );
  }
  if (typeof handler !== "function") throw new SkiffError(`${at}: the handler must be a function`);
  const name = options.name ?? `${table}:${[...ops].sort().join(",")}`;
  if (!/^[A-Za-z0-9_:,-]{1,63}$/.test(name)) {
    throw new SkiffError(`${at}: name "${name}" must be 1–63 letters, digits, "-", "_", ":" or ","`);
  }
  if (changeSubscriptions(registry).some((s) => s.name === name)) {
    throw new SkiffError(
      `${at}: another handler is already named "${name}"; give each handler watching the same table and operations its own { name }`,
    );
  }
  const { deadLetter } = options;
  if (deadLetter !== undefined && !registry.schemas.has(deadLetter)) {
    throw new SkiffError(
      `${at}: deadLetter "${deadLetter}" is not a declared queue; add it to new Skiff({ queues })`,
    );
  }
  return {
    name,
    table,
    operations: new Set(ops),
    handler,
    deadLetter,
    maxRetries: whole(options.maxRetries, 3, 100, `${at}: maxRetries`),
    retryDelaySeconds: whole(options.retryDelaySeconds, 0, 43_200, `${at}: retryDelaySeconds`),
  };
}

/**
 * @internal Registers a change handler. The first one also declares the internal queue `skiff-changes`, registers
 * its consumer and the relay cron, so every adapter and generated config carries them as ordinary entries.
 */
export function addChangeTrigger(
  registry: TriggerRegistry,
  table: string,
  operations: ChangeOperation | readonly ChangeOperation[],
  handler: ChangeHandler,
  options: ChangeOptions = {},
): void {
  const subscription = resolve(registry, table, operations, handler, options);
  let list = subscriptionsOf.get(registry);
  const relayCron = options.relayCron ?? relayCrons.get(registry) ?? CHANGE_RELAY_CRON;
  if (list && relayCron !== relayCrons.get(registry)) {
    throw new SkiffError(
      `app.onChange("${table}"): relayCron "${relayCron}" differs from the app's relay cron "${String(relayCrons.get(registry))}"; an app has one relay cron: give it on the first onChange only`,
    );
  }
  if (!list) {
    subscriptionsOf.set(registry, (list = []));
    registry.addSchema(CHANGE_QUEUE, CHANGE_MESSAGE_SCHEMA);
    registry.addQueue({
      name: CHANGE_QUEUE,
      kind: "batch",
      handler: changeConsumer(list),
      options: CHANGE_QUEUE_OPTIONS,
    });
    registry.addCron({ expression: relayCron, handler: changeRelayCron });
    relayCrons.set(registry, relayCron);
  }
  list.push(subscription);
}

/**
 * @internal For `TriggerRegistry.merge()`: adopts a mounted sub-app's change handlers. The merge itself must skip
 * the sub-app's `skiff-changes` consumer and relay cron (see {@link isChangeEntry}): this registers the parent's.
 */
export function mergeChangeTriggers(into: TriggerRegistry, from: TriggerRegistry): void {
  for (const s of changeSubscriptions(from)) {
    addChangeTrigger(into, s.table, [...s.operations], s.handler, {
      name: s.name,
      maxRetries: s.maxRetries,
      retryDelaySeconds: s.retryDelaySeconds,
      ...(s.deadLetter === undefined ? {} : { deadLetter: s.deadLetter }),
      // The parent's relay cron wins; the sub-app's, if it differs, is not registered twice.
      ...(relayCrons.has(into) ? {} : { relayCron: relayCrons.get(from) ?? CHANGE_RELAY_CRON }),
    });
  }
}

/** @internal True for the registry entries `addChangeTrigger` made (queue name or cron handler). */
export function isChangeEntry(entry: { name: string } | { handler: unknown }): boolean {
  return "name" in entry ? entry.name === CHANGE_QUEUE : entry.handler === changeRelayCron;
}
