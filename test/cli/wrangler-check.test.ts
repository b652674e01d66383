import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { checkWrangler } from "../../src/cli/targets/cloudflare/wrangler-check.js";
import { repo, fixtures, manifestOf } from "./support/config.js";

describe("checking wrangler.toml against the app", () => {
  it("accepts the repository's wrangler.toml for the shop and the fixture's for its app", async () => {
    expect(
      checkWrangler(
        await manifestOf(repo, "examples/shop/app.ts"),
        readFileSync(`${repo}/wrangler.toml`, "utf8"),
        { file: "wrangler.toml", entry: "examples/shop/worker.ts" },
      ),
    ).toEqual([]);
    expect(
      checkWrangler(
        await manifestOf(`${fixtures}/basic`, "app.ts"),
        readFileSync(`${fixtures}/basic/wrangler.toml`, "utf8"),
        { file: "wrangler.toml", entry: "worker.ts" },
      ),
    ).toEqual([]);
  });

  it("reports a missing cron, a stale one, consumer drift, a missing producer and KV, each with the TOML to add", async () => {
    const manifest = await manifestOf(`${fixtures}/basic`, "app.ts");
    const problems = checkWrangler(
      manifest,
      readFileSync(`${fixtures}/basic/wrangler-drifted.toml`, "utf8"),
      { file: "wrangler-drifted.toml" },
    );
    expect(problems.map((p) => p.message)).toEqual([
      'cron "0 3 * * MON-FRI" is registered with app.cron() but missing from [triggers] crons, so it never fires',
      'cron "0 0 1 * *" is in [triggers] crons but the app has no app.cron("0 0 1 * *") handler (each firing logs an error)',
      '[[queues.consumers]] for "jobs" differs from app.queue("jobs"): max_retries = 3 (default), app says maxRetries: 1; dead_letter_queue = (none), app says deadLetter: "jobs-dead"',
      'queue "jobs-dead" has no [[queues.producers]] binding, but it is the dead-letter queue of jobs',
      'no [[kv_namespaces]] with binding = "KV" (ctx.kv / c.var.kv)',
    ]);
    expect(problems[0]?.fix).toBe('crons = ["*/15 * * * *", "0 3 * * MON-FRI"]');
    expect(problems[2]?.fix).toBe(
      '[[queues.consumers]]\nqueue = "jobs"\nmax_batch_size = 5\nmax_batch_timeout = 2\nmax_retries = 1\ndead_letter_queue = "jobs-dead"',
    );
    expect(problems[3]?.fix).toBe('[[queues.producers]]\nqueue = "jobs-dead"\nbinding = "JOBS_DEAD"');
    expect(problems.every((p) => p.target === "cloudflare" && p.file === "wrangler-drifted.toml")).toBe(true);
  });

  it("adds the [triggers] table when there is none, and flags a consumer with no handler and a wrong binding name", async () => {
    const manifest = await manifestOf(`${fixtures}/basic`, "app.ts");
    const toml = `
[[kv_namespaces]]
binding = "KV"
id = "x"
[[queues.producers]]
binding = "JOBS_QUEUE"
queue = "jobs"
[[queues.producers]]
binding = "JOBS_DEAD"
queue = "jobs-dead"
[[queues.consumers]]
queue = "jobs"
max_batch_size = 5
max_batch_timeout = 2
max_retries = 1
dead_letter_queue = "jobs-dead"
[[queues.consumers]]
queue = "emails"
`;
    const problems = checkWrangler(manifest, toml, { file: "w.toml" });
    expect(problems.map((p) => p.message)).toEqual([
      'cron "*/15 * * * *" is registered with app.cron() but missing from [triggers] crons, so it never fires',
      'cron "0 3 * * MON-FRI" is registered with app.cron() but missing from [triggers] crons, so it never fires',
      '[[queues.consumers]] for "emails" has no app.queue("emails") handler (its batches would fail)',
      'the producer of "jobs" is bound as "JOBS_QUEUE"; toCloudflare() reads JOBS unless its queues option says otherwise',
    ]);
    expect(problems[3]?.severity).toBe("warning"); // toCloudflare(app, { queues }) may rename it
    expect(problems[0]?.fix).toBe('[triggers]\ncrons = ["*/15 * * * *", "0 3 * * MON-FRI"]');
  });

  it("warns when main is not the entry being built, and reports TOML it cannot parse", async () => {
    const manifest = await manifestOf(`${fixtures}/basic`, "app.ts");
    const source = readFileSync(`${fixtures}/basic/wrangler.toml`, "utf8");
    expect(checkWrangler(manifest, source, { file: "wrangler.toml", entry: "src/worker.ts" })).toEqual([
      {
        target: "cloudflare",
        file: "wrangler.toml",
        message: 'main = "worker.ts", but the Worker entry is src/worker.ts',
        fix: 'main = "src/worker.ts"',
        severity: "warning",
      },
    ]);
    expect(checkWrangler(manifest, "name = ", { file: "wrangler.toml" })[0]?.message).toMatch(
      /^is not valid TOML/,
    );
  });
});
