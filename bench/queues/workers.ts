import { Miniflare } from "miniflare";
import { workerBundle } from "../lib/bundle.js";
import { has, notYet } from "../lib/paths.js";
import { progress, type SectionBuilder } from "../lib/report.js";
import { alternate, fmt, median, spread } from "../lib/stats.js";
import { table } from "../lib/table.js";
import { COMPATIBILITY_DATE, QUIET } from "../startup/workerd.js";

// What skiff's Workers queue() wrapper (validation, the ack/retry contract, explicit settlement) costs against a
// raw handler doing the same work, both inside workerd.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3) + 2;
const BATCHES = 20;

export async function workersWrapper(out: SectionBuilder): Promise<void> {
  if (!has("cloudflare"))
    return out.skip(
      "queues: skiff queue handler ≥ 0.9× raw Workers queue() in Miniflare",
      notYet("cloudflare"),
    );
  const skiff = await workerBundle("bench/fixtures/skiff-queue-worker.ts", "skiff-queue-worker");
  const raw = await workerBundle("bench/fixtures/raw-queue-worker.ts", "raw-queue-worker");
  const mf = new Miniflare({
    ...QUIET,
    workers: [
      { name: "skiff", modules: true, script: skiff.code, compatibilityDate: COMPATIBILITY_DATE },
      { name: "raw", modules: true, script: raw.code, compatibilityDate: COMPATIBILITY_DATE },
    ],
  });
  try {
    const workers = { skiff: await mf.getWorker("skiff"), raw: await mf.getWorker("raw") };
    const batch = (round: number, b: number) =>
      Array.from({ length: 100 }, (_, i) => ({
        id: `m-${round}-${b}-${i}`,
        timestamp: new Date(),
        attempts: 1,
        body: { n: i },
      }));
    const send = async (who: "skiff" | "raw", round: number) => {
      const started = performance.now();
      for (let b = 0; b < BATCHES; b++) {
        const result = await workers[who].queue("jobs", batch(round, b));
        if (
          result.outcome !== "ok" ||
          result.retryMessages.length ||
          (result.explicitAcks.length !== 100 && !result.ackAll)
        ) {
          throw new Error(
            `${who}: ${JSON.stringify({ outcome: result.outcome, retried: result.retryMessages.length })}`,
          );
        }
      }
      return ((BATCHES * 100) / (performance.now() - started)) * 1000;
    };
    progress(`Workers queue wrapper: ${ROUNDS} rounds × ${BATCHES} batches of 100`);
    await send("skiff", -1); // warm both isolates
    await send("raw", -1);
    const s = await alternate(["skiff", "raw"] as const, ROUNDS, (who, round) => send(who, round));
    const r = median(s.skiff) / median(s.raw);
    out.add(
      table(
        ["Workers queue() in Miniflare, batches of 100", "msg/s (median)", "vs raw"],
        [
          [
            "raw `queue()` handler, ack per message",
            `${fmt.int(median(s.raw))} ${fmt.pct(spread(s.raw))}`,
            "1.00×",
          ],
          [
            "skiff `toCloudflare(app)`, `app.queue` (zod-validated)",
            `${fmt.int(median(s.skiff))} ${fmt.pct(spread(s.skiff))}`,
            fmt.ratio(r),
          ],
        ],
        ["l", "r", "r"],
      ),
    );
    out.note(
      "Batches are delivered with Miniflare's `worker.queue()`, which includes the RPC from Node into workerd for both.",
    );
    out.atLeast("queues: skiff queue handler ≥ 0.95× raw Workers queue() (Miniflare)", r, 0.95, fmt.ratio(r));
  } finally {
    await mf.dispose();
  }
}
