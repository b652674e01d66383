// The two places the runtime calls into database change triggers: when the database is first used (migrations,
// then the triggers) and after each request, cron run and queue batch (the relay).
import type { Database } from "../../bindings/db/database.js";
import type { Migration } from "../../bindings/db/migrate.js";
import type { TriggerRegistry } from "../registry.js";
import type { TriggerRuntime } from "../types.js";
import { changeSender } from "./consumer.js";
import { changeSubscriptions } from "./register.js";
import { relayChanges } from "./relay.js";
import { syncChangeTriggers } from "./triggers.js";

/**
 * @internal What the runtime runs before the app's first query: the migrations, then (for an app with
 * `app.onChange`) the outbox and its triggers over the tables the migrations left. `undefined` when there is
 * nothing to run.
 */
export function databaseSetup(
  registry: TriggerRegistry,
  migrations: readonly Migration[] | undefined,
): ((db: Database) => Promise<void>) | undefined {
  const subscriptions = changeSubscriptions(registry);
  if (!migrations?.length && subscriptions.length === 0) return undefined;
  return async (db) => {
    if (migrations?.length) await db.migrate(migrations);
    if (subscriptions.length) await syncChangeTriggers(db, subscriptions);
  };
}

interface RelayState {
  running: Promise<void> | undefined;
  again: boolean;
  /** The database's operation count when the last relay ended (0 before any): no query since, no change to relay. */
  seen: number;
}
const relays = new WeakMap<TriggerRuntime, RelayState>();

/**
 * @internal Relays the outbox after a request, cron run or queue batch, in `waitUntil`, for an app with
 * `app.onChange` (a no-op otherwise). At most one relay runs per runtime: work that ends while one runs asks for
 * one more round instead of starting another, so a burst of requests costs a few relays, not one each. Work that ran
 * no query through the runtime's database (a cached page, a health check) costs nothing: no relay, and the database
 * is not even opened; a write made some other way (another service, the raw client) is relayed by the cron. Never
 * throws: a failed relay is logged and the cron relays the rows later.
 */
export function relayAfterWork(
  runtime: TriggerRuntime,
  waitUntil: (promise: Promise<unknown>) => void,
): void {
  if (changeSubscriptions(runtime.registry).length === 0) return;
  const db = runtime.openedDb;
  if (!db) return;
  let state = relays.get(runtime);
  if (!state) relays.set(runtime, (state = { running: undefined, again: false, seen: 0 }));
  if (!state.running && db.operations === state.seen) return;
  if (state.running) {
    state.again = true;
    waitUntil(state.running);
    return;
  }
  const s = state;
  const ctx = runtime.triggerContext(waitUntil);
  s.running = (async () => {
    do {
      s.again = false;
      await relayChanges(ctx.db, changeSender(ctx));
    } while (s.again);
  })()
    .catch((error: unknown) => runtime.log.error("change relay failed; the cron relays later", { error }))
    .finally(() => {
      s.running = undefined;
      s.seen = db.operations;
    });
  waitUntil(s.running);
}
