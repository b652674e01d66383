import { SkiffError } from "../../errors.js";
import { cronHash, cronKey, latestOccurrence } from "../../triggers/cron/index.js";
import type { TriggerRegistry } from "../../triggers/registry.js";
import type { DenoNamespace } from "./types.js";

// Deno.cron names: at most 64 characters of letters, digits, whitespace, hyphens and underscores.
const NAME_MAX = 64;

/**
 * The `Deno.cron` name of an expression: `skiff ` and the expression (whitespace-normalised) with every character
 * Deno does not allow in a name (`*`, `/`, `,`, `#`) as `_`, then a hash of the expression, so the name is stable
 * across deploys, readable in Deno Deploy's cron list, unique per expression and within Deno's 64 characters.
 *
 * @example
 * ```ts
 * denoCronName("0 9 * * *");    // "skiff 0 9 _ _ _ 5c3a1f0e" (the hash differs)
 * denoCronName(" 0  9 * * * "); // the same name: the same expression
 * ```
 */
export function denoCronName(expression: string): string {
  const key = cronKey(expression);
  const suffix = ` ${cronHash(key)}`;
  const readable = `skiff ${key.replace(/[^A-Za-z0-9 -]/g, "_")}`;
  return `${readable.slice(0, NAME_MAX - suffix.length)}${suffix}`;
}

/**
 * @internal Registers one `Deno.cron` per expression of the app, each firing `fire(expression, scheduledTime)` with
 * the expression as registered and the minute it was scheduled for (Deno passes no time; the latest occurrence at
 * or before now is what the invocation stands for, as `controller.scheduledTime` on Workers). A handler failure
 * rejects, so Deno records the run as failed; no retry is asked of Deno (a cron run is fired again by the next
 * schedule, as on the other platforms). An expression Deno refuses fails here, at start-up, naming it.
 *
 * @example
 * ```ts
 * const crons = registerCrons(app.triggers, Deno, (cron, at) => runtime.fire({ cron, scheduledTime: at }, waitUntil));
 * ```
 */
export function registerCrons(
  registry: TriggerRegistry,
  deno: Pick<DenoNamespace, "cron">,
  fire: (expression: string, scheduledTime: number) => Promise<void>,
): Array<{ name: string; cron: string }> {
  const registered: Array<{ name: string; cron: string }> = [];
  for (const [key, registrations] of registry.crons) {
    const expression = registrations[0]?.expression ?? key;
    const name = denoCronName(key);
    try {
      // Deno resolves this promise when the cron is stopped, never on a run: nothing to wait for.
      void deno.cron(name, key, () => fire(expression, latestOccurrence(key, Date.now()) ?? Date.now()));
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new SkiffError(
        `toDeno: Deno.cron refused cron "${expression}" (${reason}): Deno accepts 5-field expressions with numbers, ranges, steps, lists, names, L, W and #; remove it or pass toDeno(app, { crons: false })`,
        { cause: error },
      );
    }
    registered.push({ name, cron: expression });
  }
  return registered;
}
