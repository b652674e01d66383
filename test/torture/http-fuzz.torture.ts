import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { sql } from "skiff";
import { serve, type SkiffServer } from "skiff/node";
import { app } from "../../examples/shop/app.js";
import { DEV_API_KEY, DEV_API_KEY_SHA256 } from "../../examples/shop/auth.js";
import { tempDbUrl } from "../contract/node-driver.js";
import { recordFigures } from "./figures.js";
import { hostileRequests, rawRequests } from "./http/hostile.js";
import { send, sendRaw, type Answer } from "./http/send.js";

// Bounded: SKIFF_TORTURE_REQUESTS hostile requests (default 3000), 40 at a time, from 60 loopback addresses so
// the shop's per-IP rate limit (120/min) is exercised without answering everything with 429.
const COUNT = Number(process.env.SKIFF_TORTURE_REQUESTS ?? 3000);
const CONCURRENCY = 40;
const SEED = Number(process.env.SKIFF_TORTURE_SEED ?? 20261201);
const address = (i: number) => `127.0.0.${2 + (i % 60)}`;

// What an answer must never contain: a stack frame, a source path, the working directory, a driver's error text.
const LEAKS = [/\n\s+at .+\(/, /node_modules/, /\.ts:\d+/, /SQLITE_/i, /LibsqlError/, /\/work\//];

let server: SkiffServer;

beforeAll(async () => {
  server = await serve(app, {
    port: 0,
    env: { SHOP_API_KEY_SHA256: DEV_API_KEY_SHA256, NODE_ENV: "development" },
    database: { url: tempDbUrl("torture-fuzz") },
    scheduler: false,
    handleSignals: false,
  });
});
afterAll(() => server?.close());

/** Why an answer breaks the contract, or undefined when it holds. */
function violation(method: string, a: Answer): string | undefined {
  if (a.status === 0) return `no answer (${a.error ?? "connection closed"})`;
  if (a.status >= 500) return `status ${a.status}`;
  const leak = LEAKS.find((re) => re.test(a.body));
  if (leak) return `leaked ${leak}`;
  if (a.status >= 400 && method !== "HEAD" && !a.contentType.startsWith("application/problem+json"))
    return `status ${a.status} with content-type "${a.contentType}"`;
  return undefined;
}

describe("HTTP fuzz of the shop on Node", () => {
  it(`answers ${COUNT} hostile requests without a 5xx, a leak or a non-problem 4xx`, async () => {
    const requests = hostileRequests(SEED, COUNT, DEV_API_KEY);
    const failures: string[] = [];
    const statuses = new Map<number, number>();
    let next = 0;
    const deadline = Date.now() + 150_000;
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (next < requests.length && Date.now() < deadline) {
          const i = next++;
          const r = requests[i]!;
          const answer = await send(server.port, r, address(i));
          statuses.set(answer.status, (statuses.get(answer.status) ?? 0) + 1);
          const why = violation(r.method, answer);
          if (why) failures.push(`#${i} ${r.kind}: ${why}: ${answer.body.slice(0, 200)}`);
        }
      }),
    );
    const tried = Math.min(next, requests.length);
    recordFigures({
      suite: "http fuzz",
      tried,
      held: tried - failures.length,
      lost: failures.length,
      notes: {
        statuses: [...statuses]
          .sort(([a], [b]) => a - b)
          .map(([s, n]) => `${s}x${n}`)
          .join(","),
      },
    });
    expect(failures.slice(0, 20)).toEqual([]);
    expect(tried).toBe(requests.length);
  });

  it("answers every broken HTTP/1.1 framing with a problem+json 4xx (or 501/505 for what HTTP/1.1 itself does not support)", async () => {
    const failures: string[] = [];
    const raws = rawRequests();
    for (const [i, r] of raws.entries()) {
      const answer = await sendRaw(server.port, r.bytes, address(i));
      // 501 (a method no server implements, CONNECT) and 505 (another HTTP version) are the protocol's own answers,
      // not failures: they must still be problem+json.
      const protocolAnswer =
        (answer.status === 501 || answer.status === 505) &&
        answer.contentType.startsWith("application/problem+json");
      const why = protocolAnswer ? undefined : violation("GET", answer);
      if (why) failures.push(`${r.kind}: ${why}: ${answer.body.slice(0, 200)}`);
    }
    recordFigures({
      suite: "broken framing",
      tried: raws.length,
      held: raws.length - failures.length,
      lost: failures.length,
    });
    expect(failures).toEqual([]);
  });

  it("is still up afterwards, and the database is intact", async () => {
    const health = await fetch(`${server.url}/`);
    expect(health.status).toBe(200);
    const check = await server.db.get<{ integrity_check: string }>(sql`PRAGMA integrity_check`);
    expect(check?.integrity_check).toBe("ok");
    // Prototype pollution through JSON bodies never reached the process.
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });
});
