import { describe, expect, it } from "vitest";
import { AwsCronError as CliAwsCronError, toAwsCron } from "../../src/cli/targets/lambda/aws-cron.js";
import { AwsCronError, parseCron, renderAws, renderVercel } from "../../src/triggers/cron/index.js";

// The table of test/cli/aws-cron.test.ts: the cron module's rendering must give what the Lambda target generates.
const AWS: Array<[string, string]> = [
  ["0 9 * * *", "cron(0 9 * * ? *)"],
  ["* * * * *", "cron(* * * * ? *)"],
  ["*/15 * * * *", "cron(0/15 * * * ? *)"],
  ["0 */6 * * *", "cron(0 0/6 * * ? *)"],
  ["0 0 */2 * *", "cron(0 0 1/2 * ? *)"],
  ["0 0 1 */3 *", "cron(0 0 1 1/3 ? *)"],
  ["5-30/5 * * * *", "cron(5,10,15,20,25,30 * * * ? *)"],
  ["0 9 1-10/3 * *", "cron(0 9 1,4,7,10 * ? *)"],
  ["07 09 * * *", "cron(7 9 * * ? *)"],
  ["0 9 1,15 * *", "cron(0 9 1,15 * ? *)"],
  ["0 0 29 2 *", "cron(0 0 29 2 ? *)"],
  ["0 0 1 JAN-MAR *", "cron(0 0 1 JAN-MAR ? *)"],
  ["0 0 1 jan,jul *", "cron(0 0 1 JAN,JUL ? *)"],
  ["0 9 L * *", "cron(0 9 L * ? *)"],
  ["0 9 LW * *", "cron(0 9 LW * ? *)"],
  ["0 9 15W * *", "cron(0 9 15W * ? *)"],
  ["0 9 * * MON-FRI", "cron(0 9 ? * MON-FRI *)"],
  ["0 9 * * sun", "cron(0 9 ? * SUN *)"],
  ["0 9 * * SUN,SAT", "cron(0 9 ? * SUN,SAT *)"],
  ["0 9 * * FRI-SAT,SUN", "cron(0 9 ? * SUN,FRI,SAT *)"],
  ["0 9 * * TUE,WED,THU", "cron(0 9 ? * TUE-THU *)"],
  ["0 9 * * */2", "cron(0 9 ? * SUN,TUE,THU,SAT *)"],
  ["0 9 * * MON-FRI/2", "cron(0 9 ? * MON,WED,FRI *)"],
  ["0 9 * * SUN-SAT", "cron(0 9 ? * * *)"],
  ["0 12 * * SUN#2", "cron(0 12 ? * 1#2 *)"],
  ["0 12 * * MON#1", "cron(0 12 ? * 2#1 *)"],
  ["0 12 * * SAT#5", "cron(0 12 ? * 7#5 *)"],
  ["0 18 * * FRIL", "cron(0 18 ? * 6L *)"],
  ["0 9 09W jan-FEB/1 *", "cron(0 9 9W 1,2 ? *)"],
];

const AWS_REFUSED: Array<[string, RegExp]> = [
  ["0 9 1 * MON", /restricts both day-of-month \("1"\) and day-of-week \("MON"\).*Register two crons/],
  ["0 9 L * FRI", /restricts both day-of-month/],
  ["0 9 * * MON#2,WED", /single "<day>#<n>" or "<day>L" term/],
  ["0 9 L,15 * *", /day-of-month "L,15": AWS takes "L", "LW" and "<day>W" only as the whole field/],
  ["0 9 * * 1-5", /numeric day-of-week "1"/],
  ["0 0 9 * * *", /must have 5 fields/],
  ["61 * * * *", /minute 61 is outside 0-59/],
];

function thrown(run: () => unknown): Error {
  try {
    run();
  } catch (error) {
    return error as Error;
  }
  throw new Error("expected a throw");
}

describe("AWS rendering: EventBridge cron(...) built on the parsed fields", () => {
  it.each(AWS)("%s -> %s, as the Lambda target generates it", (expression, aws) => {
    expect(renderAws(expression)).toBe(aws);
    expect(renderAws(parseCron(expression))).toBe(aws);
    expect(toAwsCron(expression)).toBe(aws);
  });

  it.each(AWS_REFUSED)("refuses %s with the same error as the Lambda target", (expression, reason) => {
    const ours = thrown(() => renderAws(expression));
    const cli = thrown(() => toAwsCron(expression));
    expect(ours).toBeInstanceOf(AwsCronError);
    expect(cli).toBeInstanceOf(CliAwsCronError);
    expect((ours as AwsCronError).expression).toBe(expression);
    expect(ours.message).toContain(`[skiff] cron "${expression}" cannot be expressed in AWS cron syntax`);
    expect(ours.message).toMatch(reason);
    expect(ours.message).toBe(cli.message);
  });
});

describe("Vercel rendering: standard cron numbers, no Quartz forms, one day field", () => {
  it.each([
    ["0 9 * * MON-FRI", "0 9 * * 1-5"],
    ["0 0 1 jan,JUL *", "0 0 1 1,7 *"],
    ["0 22 * * SUN,SAT", "0 22 * * 0,6"],
    ["07 09 * * *", "07 09 * * *"], // numbers pass through as written, so existing vercel.json entries still match
    ["*/5 9-17 * JAN-MAR/2 *", "*/5 9-17 * 1-3/2 *"],
    ["0 9 1,15 * *", "0 9 1,15 * *"],
    ["0 9 * * *", "0 9 * * *"],
  ])("%s -> %s", (expression, schedule) => {
    expect(renderVercel(expression)).toBe(schedule);
    expect(renderVercel(parseCron(expression))).toBe(schedule);
  });

  it("refuses what Vercel rejects at deploy time, and what skiff refuses, naming the expression", () => {
    for (const expression of ["0 9 * * FRIL", "0 9 L * *", "0 9 15W * *", "0 9 * * MON#2", "0 9 LW * *"])
      expect(() => renderVercel(expression)).toThrow(
        `[skiff] cron "${expression}": Vercel supports only * , - / and numbers (no L, W or #); choose another expression for this cron`,
      );
    expect(() => renderVercel("0 9 1 * MON")).toThrow(
      'cron "0 9 1 * MON": Vercel does not accept a day-of-month and a day-of-week together; one of them must be *',
    );
    expect(() => renderVercel("0 9 * * 1-5")).toThrow(/numeric day-of-week/);
  });
});
