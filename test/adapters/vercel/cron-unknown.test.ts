import { describe, expect, it } from "vitest";
import { Skiff } from "skiff";
import { toVercel } from "skiff/vercel";

const SECRET = "s3cret-s3cret-s3cret";

describe("Vercel cron paths that name no registered cron", () => {
  it.each([
    ["a slug that is not a cron expression", "foo"],
    ["a numeric day-of-week, which skiff refuses", "0_9_*_*_1"],
    ["a valid expression with no handler", "0_10_*_*_*"],
  ])("answer 404 problem+json for %s, never a 500", async (_case, slug) => {
    const runs: string[] = [];
    const app = new Skiff({ log: { level: "error", sink: () => undefined } });
    app.cron("0 9 * * MON", (event) => void runs.push(event.cron));
    const { GET } = toVercel(app, { basePath: "/api", env: { CRON_SECRET: SECRET }, drainOnRequest: false });
    const res = await GET(
      new Request(`https://shop.vercel.app/api/__skiff/cron/${slug}`, {
        headers: { authorization: `Bearer ${SECRET}` },
      }),
    );
    expect(res.status).toBe(404);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(runs).toEqual([]);
  });
});
