import { Skiff } from "skiff";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { idempotentConsumer } from "../../middleware/idempotency/index.js";
import { inProcess, gates, gate, Job, message } from "./support/idempotency.js";

// A failed assertion must not leave a handler waiting forever on a gate.
afterEach(() => gates.splice(0).forEach((open) => open()));

// ---- queue consumers ----

describe.each(["db", "kv"] as const)("idempotentConsumer() with store %s", (store) => {
  const harnesses: Array<{ close(): Promise<void> }> = [];
  afterAll(async () => {
    await Promise.all(harnesses.map((h) => h.close()));
  });
  const setup = (handler: (jobId: string, attempts: number) => Promise<void> | void, key?: "body") => {
    const app = new Skiff({ queues: { jobs: Job } });
    const state = { runs: 0 };
    app.queue(
      "jobs",
      idempotentConsumer(
        async (m) => {
          state.runs++;
          await handler(m.body.jobId, m.attempts);
        },
        { store, ...(key ? { key: (m) => m.body.jobId, scope: "jobs" } : {}) },
      ),
    );
    const h = inProcess(app);
    harnesses.push(h);
    return { ...h, state };
  };

  it("acks a redelivered message without running the handler again", async () => {
    const t = setup(() => undefined);
    expect(await t.deliver("jobs", [message("m1", "a")])).toEqual([{ id: "m1", outcome: "acked" }]);
    expect(await t.deliver("jobs", [message("m1", "a", 2)])).toEqual([{ id: "m1", outcome: "acked" }]);
    expect(t.state.runs).toBe(1);
  });

  it("retries a redelivery that overlaps a delivery still running, after the holder's lock", async () => {
    const g = gate();
    const t = setup(() => g.wait);
    const first = t.deliver("jobs", [message("m2", "b")]);
    await new Promise((r) => setTimeout(r, 50));
    const overlap = await t.deliver("jobs", [message("m2", "b", 2)]);
    expect(overlap[0]).toMatchObject({ id: "m2", outcome: "retried" });
    expect(overlap[0]!.delaySeconds).toBeGreaterThanOrEqual(1);
    g.open();
    expect(await first).toEqual([{ id: "m2", outcome: "acked" }]);
    expect(t.state.runs).toBe(1);
  });

  it("releases the key when the handler throws or calls retry(), so the platform's retry runs it", async () => {
    let fail = true;
    const t = setup((_, attempts) => {
      if (fail) throw new Error(`attempt ${attempts} failed`);
    });
    expect((await t.deliver("jobs", [message("m3", "c", 1)]))[0]!.outcome).toBe("retried");
    fail = false;
    expect((await t.deliver("jobs", [message("m3", "c", 2)]))[0]!.outcome).toBe("acked");
    expect((await t.deliver("jobs", [message("m3", "c", 3)]))[0]!.outcome).toBe("acked");
    expect(t.state.runs).toBe(2);
  });

  it("deduplicates by a key from the body when given one (two sends of the same job)", async () => {
    const t = setup(() => undefined, "body");
    await t.deliver("jobs", [message("m4", "job-7"), message("m5", "job-7")]);
    await t.deliver("jobs", [message("m6", "job-8")]);
    expect(t.state.runs).toBe(2);
  });
});
