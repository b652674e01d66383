import { describe, expect, it } from "vitest";
import { nodeDatabase } from "skiff/node";
import { dbBattery } from "./support/db-battery.js";
import { fixture, startBun, tempDbUrl } from "./support/bun-process.js";

describe("the bun:sqlite backend of file: databases", () => {
  it("behaves as the libSQL client does: rows, errors, batches, transactions, integers and migrations", async () => {
    const libsql = nodeDatabase({ url: tempDbUrl("skiff-libsql") });
    const expected = JSON.parse(JSON.stringify(await dbBattery(libsql))) as Record<string, unknown>;
    libsql.close();
    const bun = await startBun<{ ready: true; protocol: string; report: Record<string, unknown> }>(
      fixture("db-battery.ts"),
      { SKIFF_TEST_DB: tempDbUrl() },
    );
    expect(bun.ready.protocol).toBe("file");
    expect(bun.ready.report).toEqual(expected);
    // The figures the comparison rests on, so a regression on either side shows here.
    expect(expected).toMatchObject({
      unique: { code: "SQLITE_CONSTRAINT", unique: true },
      afterFailedBatch: [{ sku: "tea" }, { sku: "jam" }],
      isolation: { inside: { n: 3 }, outside: { n: 2 } },
      committed: { n: 3 },
      bigInteger: { name: "RangeError" },
    });
  });
});
