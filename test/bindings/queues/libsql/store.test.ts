import { createClient, type Client, type InStatement } from "@libsql/client";
import { describe, expect, it } from "vitest";
import { sql } from "skiff";
import { Database, LibsqlQueueStore } from "skiff/adapter";

// The local durable queue's statements: a send or a settle is a handful of statements over id lists, not one per
// message (preparing and stepping those was most of the queue's time, issue 18), with the same guarantees.

/** A real in-memory libSQL client that records how many statements each batch() carried. */
function countingDatabase(): { db: Database; batches: number[] } {
  const batches: number[] = [];
  const db = new Database(() => {
    const client = createClient({ url: ":memory:" });
    return new Proxy(client, {
      get(target, key, receiver) {
        if (key === "batch")
          return (statements: InStatement[], mode?: "write" | "read" | "deferred") => {
            batches.push(statements.length);
            return target.batch(statements, mode);
          };
        const value: unknown = Reflect.get(target, key, receiver);
        return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    }) as Client;
  });
  return { db, batches };
}

const bodies = (count: number, from = 0) =>
  Array.from({ length: count }, (_, i) => ({ body: { n: from + i } }));

describe("LibsqlQueueStore.send", () => {
  it("stores a batch in multi-row inserts (100 rows each), delivered in send order", async () => {
    const { db, batches } = countingDatabase();
    const store = new LibsqlQueueStore(db);
    await store.stats("jobs"); // creates the table, so only the send's batch is counted below
    batches.length = 0;
    await store.send("jobs", bodies(250));
    expect(batches).toEqual([3]);
    const { messages } = await store.receive("jobs", { max: 250, visibilitySeconds: 30 });
    expect(messages.map((m) => (m.body as { n: number }).n)).toEqual(bodies(250).map((b) => b.body.n));
    expect(new Set(messages.map((m) => m.id)).size).toBe(250);
    expect(messages.every((m) => m.attempts === 1)).toBe(true);
  });

  it("stores all or nothing when one chunk of a large batch fails", async () => {
    const { db } = countingDatabase();
    const store = new LibsqlQueueStore(db);
    await store.send("jobs", bodies(1));
    // A body JSON cannot encode fails its row while the statements are built: nothing is written.
    const bad = [...bodies(150), { body: undefined }];
    await expect(store.send("jobs", bad)).rejects.toThrow(/undefined/);
    // A constraint failure in the second chunk rolls back the first.
    await db.run(
      sql`CREATE TRIGGER refuse BEFORE INSERT ON _skiff_queue WHEN json_extract(NEW.body, '$.n') = 120 BEGIN SELECT RAISE(ABORT, 'refused'); END`,
    );
    await expect(store.send("jobs", bodies(150, 1))).rejects.toThrow(/refused/);
    expect(await store.stats("jobs")).toEqual({ ready: 1, delayed: 0, inFlight: 0 });
  });
});

describe("LibsqlQueueStore.settle", () => {
  it("settles a batch with one statement per action and delay, acking and retrying exactly the ones named", async () => {
    let now = 1_000_000;
    const { db, batches } = countingDatabase();
    const store = new LibsqlQueueStore(db, { now: () => now });
    await store.send("jobs", bodies(100));
    const { lease, messages } = await store.receive("jobs", { max: 100, visibilitySeconds: 30 });
    batches.length = 0;
    // Acks for even n, retries after 0 s for n % 4 === 1 and after 60 s for n % 4 === 3.
    await store.settle(
      lease,
      messages.map((m) => {
        const n = (m.body as { n: number }).n;
        if (n % 2 === 0) return { id: m.id, action: "ack" as const };
        return { id: m.id, action: "retry" as const, delaySeconds: n % 4 === 1 ? 0 : 60 };
      }),
    );
    expect(batches).toEqual([3]);
    expect(await store.stats("jobs")).toEqual({ ready: 25, delayed: 25, inFlight: 0 });
    const again = await store.receive("jobs", { max: 100, visibilitySeconds: 30 });
    expect(again.messages.map((m) => (m.body as { n: number }).n)).toEqual(
      bodies(100)
        .map((b) => b.body.n)
        .filter((n) => n % 4 === 1),
    );
    expect(again.messages.every((m) => m.attempts === 2)).toBe(true);
    now += 60_000;
    await store.settle(
      again.lease,
      again.messages.map((m) => ({ id: m.id, action: "ack" as const })),
    );
    const late = await store.receive("jobs", { max: 100, visibilitySeconds: 30 });
    expect(late.messages.map((m) => (m.body as { n: number }).n)).toEqual(
      bodies(100)
        .map((b) => b.body.n)
        .filter((n) => n % 4 === 3),
    );
  });

  it("changes nothing for a lease that expired and was leased again, nor for messages it does not name", async () => {
    let now = 1_000_000;
    const { db } = countingDatabase();
    const store = new LibsqlQueueStore(db, { now: () => now });
    await store.send("jobs", bodies(3));
    const first = await store.receive("jobs", { max: 3, visibilitySeconds: 10 });
    now += 11_000;
    const second = await store.receive("jobs", { max: 3, visibilitySeconds: 10 });
    expect(second.messages.map((m) => m.id)).toEqual(first.messages.map((m) => m.id));
    await store.settle(
      first.lease,
      first.messages.map((m) => ({ id: m.id, action: "ack" as const })),
    );
    await store.settle(first.lease, [{ id: first.messages[0]!.id, action: "retry", delaySeconds: 0 }]);
    expect(await store.stats("jobs")).toEqual({ ready: 0, delayed: 0, inFlight: 3 });
    // Settling one message of the live lease leaves the other two leased.
    await store.settle(second.lease, [{ id: second.messages[1]!.id, action: "ack" }]);
    expect((await store.peek("jobs")).map((m) => m.id)).toEqual([
      second.messages[0]!.id,
      second.messages[2]!.id,
    ]);
    expect(await store.stats("jobs")).toEqual({ ready: 0, delayed: 0, inFlight: 2 });
  });

  it("settles more ids than one statement takes (500) in one atomic batch", async () => {
    const { db, batches } = countingDatabase();
    const store = new LibsqlQueueStore(db);
    for (let i = 0; i < 1200; i += 100) await store.send("jobs", bodies(100, i));
    const { lease, messages } = await store.receive("jobs", { max: 1200, visibilitySeconds: 30 });
    expect(messages).toHaveLength(1200);
    batches.length = 0;
    await store.settle(
      lease,
      messages.map((m) => ({ id: m.id, action: "ack" as const })),
    );
    expect(batches).toEqual([3]);
    expect(await store.stats("jobs")).toEqual({ ready: 0, delayed: 0, inFlight: 0 });
  });
});
