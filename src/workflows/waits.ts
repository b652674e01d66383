// The waiting steps: sleep, sleepUntil and waitForEvent. Nothing runs; the run suspends until its time or event.
import { SkiffError } from "../errors.js";
import { durationMs } from "./duration.js";
import { WorkflowTimeoutError, toErrorInfo } from "./errors.js";
import { writeStep } from "./do-step.js";
import { recordStep } from "./journal.js";
import { encodeValue } from "./limits.js";
import type { Replay } from "./replay.js";
import { decode, never, stepError, toEvent } from "./replay-types.js";
import type { Duration, WorkflowEvent } from "./types.js";

/** @internal `step.sleep` and `step.sleepUntil`: the wake time is journaled on first reach. */
export async function sleepStep(r: Replay, name: string, wakeTime: (now: number) => number): Promise<void> {
  const seq = r.position(name, "sleep");
  if (r.stop) return never();
  const row = r.journaled(seq, name, "sleep");
  if (row === "mismatch") return never();
  if (r.host.mode.kind === "child") return r.childReplay(row) as Promise<void>;
  const now = r.host.now();
  if (row?.status === "completed") return;
  let wakeAt = row?.wake_at ?? undefined;
  if (r.host.cancelRequested && (!row || (wakeAt ?? 0) > now)) return r.halt({ kind: "cancel" });
  if (!row) {
    wakeAt = wakeTime(now); // journaled on first reach: replays never recompute it
  }
  const status = wakeAt === undefined || wakeAt <= now ? "completed" : "waiting";
  r.pending.push(
    recordStep(r.host.fence, { seq, idx: -1, name, kind: "sleep", status, attempts: 0, wakeAt }, now),
  );
  if (status === "completed") return;
  r.host.log.info("workflow suspended", { step: name, reason: "sleep", wakeAt });
  return r.halt({ kind: "suspend", wakeAt });
}

/** @internal `step.waitForEvent`: claims the oldest matching event, else suspends until one arrives or the timeout. */
export async function waitForEventStep(
  r: Replay,
  name: string,
  options: { type: string; timeout?: Duration },
): Promise<WorkflowEvent> {
  const seq = r.position(name, "event");
  if (typeof options?.type !== "string" || options.type === "") {
    throw new SkiffError(`step.waitForEvent("${name}") needs an event type: { type: "approved" }`);
  }
  if (r.stop) return never();
  const row = r.journaled(seq, name, "event");
  if (row === "mismatch") return never();
  if (r.host.mode.kind === "child") return r.childReplay(row).then(toEvent);
  if (row?.status === "completed") return toEvent(decode(row.output));
  if (row?.status === "failed") throw new WorkflowTimeoutError(stepError(row).message);
  const now = r.host.now();
  if (r.host.cancelRequested) return r.halt({ kind: "cancel" });
  const timeoutAt =
    row?.wake_at ??
    (options.timeout === undefined
      ? null
      : now + durationMs(options.timeout, `the timeout of step.waitForEvent("${name}")`));
  const stored = await r.fenced(
    r.host.claimEvent({ seq, name, type: options.type, timeoutAt }, r.pending.splice(0)),
  );
  if (stored?.status === "completed") {
    r.host.log.info("workflow event received", { step: name, type: options.type });
    return toEvent(decode(stored.output));
  }
  if (timeoutAt !== null && timeoutAt <= now) {
    const error = new WorkflowTimeoutError(
      `step.waitForEvent("${name}"): no "${options.type}" event arrived within its timeout`,
    );
    await writeStep(
      r,
      { seq, idx: -1, name, kind: "event" },
      { status: "failed", attempts: 0, error: encodeValue(toErrorInfo(error), ""), wakeAt: timeoutAt },
    );
    r.host.log.warn("workflow event timed out", { step: name, type: options.type });
    throw error;
  }
  r.host.log.info("workflow suspended", { step: name, reason: "event", type: options.type });
  return r.halt({ kind: "suspend", wakeAt: timeoutAt ?? undefined });
}
