import { SkiffError } from "../errors.js";
import type { Duration } from "./types.js";

const UNIT_MS: Record<string, number> = {
  millisecond: 1,
  second: 1000,
  minute: 60_000,
  hour: 3_600_000,
  day: 86_400_000,
  week: 604_800_000,
};

/** @internal A {@link Duration} in milliseconds; `what` names the option in the error. */
export function durationMs(duration: Duration, what: string): number {
  let ms: number | undefined;
  if (typeof duration === "number") ms = duration;
  else {
    const match = /^\s*(\d+(?:\.\d+)?)\s+([a-z]+?)s?\s*$/.exec(String(duration));
    const unit = match && UNIT_MS[match[2] as string];
    if (match && unit) ms = Number(match[1]) * unit;
  }
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) {
    throw new SkiffError(
      `${what} must be milliseconds or a string such as "30 seconds" or "2 hours" (got ${JSON.stringify(duration)})`,
    );
  }
  return Math.round(ms);
}
