import { afterAll, describe, expect, it } from "vitest";
import { sql } from "skiff";
import { LibsqlQueueStore } from "skiff/adapter";
import { nodeDatabase } from "skiff/node";
import { tempDbUrl } from "../contract/node-driver.js";
import { recordFigures } from "./figures.js";
import { startChild, type ChildServer } from "./servers/spawn.js";

// Bounded: MESSAGES messages, a SIGKILL every 250–700 ms while any is left, at most 90 s in all.
const MESSAGES = Number(process.env.SKIFF_TORTURE_MESSAGES ?? 2000);
const POISON_EVERY = 25;
const MAX_RETRIES = 3; // as in servers/crash-consumer.ts
const url = tempDbUrl("torture-crash");
const db = nodeDatabase({ url });
const store = new LibsqlQueueStore(db);
let child: ChildServer | undefined;
const startConsumer = () => startChild("crash-consumer.ts", { TORTURE_DB_URL: url });

afterAll(async () => {
  await child?.kill();
  db.close();
});

async function remaining(): Promise<number> {
  const s = await store.stats("work");
  return s.ready + s.delayed + s.inFlight;
}

describe("crash injection: kill -9 of the queue consumer", () => {
  it(`loses none of ${MESSAGES} messages and dead-letters exactly the poison ones`, async () => {
    const bodies = Array.from({ length: MESSAGES }, (_, n) => ({
      body: { n, poison: n % POISON_EVERY === 0 },
    }));
    for (let i = 0; i < bodies.length; i += 100) await store.send("work", bodies.slice(i, i + 100));

    let kills = 0;
    const deadline = Date.now() + 90_000;
    child = await startConsumer();
    while ((await remaining()) > 0 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 250 + Math.random() * 450));
      if ((await remaining()) === 0) break;
      await child.kill();
      kills++;
      child = await startConsumer();
    }
    // Let the last consumer finish what is left (leases of the last kill expire after 1 s).
    while ((await remaining()) > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    await child.kill();

    const left = await remaining();
    const deliveries = await db.all<{ n: number; attempts: number }>(
      sql`SELECT n, attempts FROM deliveries ORDER BY rowid`,
    );
    const dead = await store.peek("work-dlq", MESSAGES * 2);
    const delivered = new Set(deliveries.map((d) => d.n));
    const deadNumbers = dead.map((d) => (d.body as { n: number }).n);
    const poison = bodies.filter((b) => b.body.poison).map((b) => b.body.n);
    const lost = bodies.filter((b) => !delivered.has(b.body.n)).length;

    // attempts count every lease, a crashed one too: per message they only ever go up, and a poison message is
    // dead-lettered only after it has failed at an attempt above maxRetries.
    const attemptsByMessage = new Map<number, number[]>();
    for (const d of deliveries)
      attemptsByMessage.set(d.n, [...(attemptsByMessage.get(d.n) ?? []), d.attempts]);
    const nonIncreasing = [...attemptsByMessage.values()].filter((a) =>
      a.some((x, i) => i > 0 && x <= a[i - 1]!),
    );
    const poisonTooEarly = poison.filter(
      (n) => Math.max(...(attemptsByMessage.get(n) ?? [0])) <= MAX_RETRIES,
    );
    const redelivered = [...attemptsByMessage.values()].filter((a) => a.length > 1).length;

    recordFigures({
      suite: "crash injection",
      tried: MESSAGES,
      held: MESSAGES - lost - left,
      lost: lost + left,
      notes: {
        kills,
        deliveries: deliveries.length,
        redelivered,
        deadLetters: dead.length,
        duplicateDeadLetters: dead.length - new Set(deadNumbers).size,
      },
    });
    expect(kills).toBeGreaterThanOrEqual(5);
    expect(left).toBe(0);
    expect(lost).toBe(0);
    expect([...new Set(deadNumbers)].sort((a, b) => a - b)).toEqual(poison);
    expect(nonIncreasing).toEqual([]);
    expect(poisonTooEarly).toEqual([]);
  });
});
