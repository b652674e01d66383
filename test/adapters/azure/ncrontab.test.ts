import { describe, expect, it } from "vitest";
import { renderAzure } from "skiff/azure";

// https://learn.microsoft.com/azure/azure-functions/functions-bindings-timer#ncrontab-expressions
describe("skiff crons as Azure NCRONTAB schedules", () => {
  it("adds the seconds field and keeps numbers, steps, ranges, lists and names", () => {
    expect(renderAzure("0 9 * * *")).toBe("0 0 9 * * *");
    expect(renderAzure("*/5 * * * *")).toBe("0 */5 * * * *");
    expect(renderAzure("30 9 * JAN MON")).toBe("0 30 9 * JAN MON");
    expect(renderAzure("0 9-17/2 1,15 * *")).toBe("0 0 9-17/2 1,15 * *");
    expect(renderAzure("0 8 * * MON-FRI")).toBe("0 0 8 * * MON-FRI");
  });

  it("refuses what NCRONTAB cannot express, saying what to do", () => {
    expect(() => renderAzure("0 0 L * *")).toThrow(
      /\[skiff\] cron "0 0 L \* \*": Azure's NCRONTAB has no L, W or #/,
    );
    expect(() => renderAzure("0 0 * * FRI#2")).toThrow(/no L, W or #/);
    expect(() => renderAzure("0 0 1 * MON")).toThrow(
      /both day-of-month \("1"\) and day-of-week \("MON"\).*two crons/,
    );
  });
});
