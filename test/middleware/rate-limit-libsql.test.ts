import { Skiff } from "skiff";
import { serve, type SkiffServer } from "skiff/node";
import { tempDbUrl } from "../contract/node-driver.js";
import { afterAll, describe, expect, it } from "vitest";
import { rateLimit } from "../../middleware/rate-limit/index.js";
import { count } from "./support/rate-limit.js";

// ---- exact at the boundary, under concurrency, across processes ----

describe("rateLimit on libSQL, on real Node servers (two instances, one database file)", () => {
  const servers: SkiffServer[] = [];
  afterAll(async () => {
    await Promise.all(servers.map((s) => s.close()));
  });

  it.each(["fixed", "sliding"] as const)(
    "lets exactly `limit` of 30 concurrent requests through (%s window), keyed by the socket address",
    async (algorithm) => {
      const app = new Skiff();
      // A long window so the test cannot straddle a boundary.
      app.use(rateLimit({ limit: 10, windowSeconds: 3600, algorithm, name: `boundary-${algorithm}` }));
      app.get("/", (c) => c.text("ok"));
      const url = tempDbUrl();
      const options = {
        port: 0,
        env: {},
        database: { url },
        scheduler: false,
        queues: false,
        handleSignals: false,
      } as const;
      const pair = [await serve(app, options), await serve(app, options)];
      servers.push(...pair);

      const responses = await Promise.all(
        Array.from({ length: 30 }, (_, i) => fetch(`${pair[i % 2]!.url}/`)),
      );
      expect(count(responses, 200)).toBe(10);
      expect(count(responses, 429)).toBe(20);
      const remaining = responses
        .filter((r) => r.status === 200)
        .map((r) => Number(r.headers.get("ratelimit-remaining")));
      expect(remaining.sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      await Promise.all(responses.map((r) => r.text()));
    },
  );
});
