import { z } from "zod";
import { Skiff, sql } from "skiff";
import { serve } from "skiff/node";

/**
 * The consumer process the crash suite kills with SIGKILL again and again: it records every delivery it starts
 * (message number and `attempts`) before working on it, so the parent can tell what ran, how often, and with which
 * attempt count. Every 25th message is poison: it always throws, so it must end in the dead-letter queue.
 */
const Work = z.object({ n: z.number().int(), poison: z.boolean() });

const app = new Skiff({
  queues: { work: Work, "work-dlq": Work },
  migrations: [
    {
      id: "001_deliveries",
      sql: "CREATE TABLE deliveries (n INTEGER NOT NULL, attempts INTEGER NOT NULL, pid INTEGER NOT NULL)",
    },
  ],
});

app.queue(
  "work",
  async (message, ctx) => {
    await ctx.db.run(
      sql`INSERT INTO deliveries (n, attempts, pid) VALUES (${message.body.n}, ${message.attempts}, ${process.pid})`,
    );
    await new Promise((resolve) => setTimeout(resolve, 2));
    if (message.body.poison) throw new Error(`poison message ${message.body.n}`);
  },
  {
    maxRetries: 3,
    deadLetter: "work-dlq",
    maxBatchSize: 10,
    visibilityTimeoutSeconds: 1,
    retryDelaySeconds: 0,
  },
);

const url = process.env.TORTURE_DB_URL;
if (!url) throw new Error("TORTURE_DB_URL is not set");
const server = await serve(app, { port: 0, database: { url }, scheduler: false, pollIntervalMs: 20 });
process.stdout.write(`ready ${server.port}\n`);
