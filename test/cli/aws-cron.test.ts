import { describe, expect, it } from "vitest";
import { AwsCronError, toAwsCron } from "../../src/cli/targets/lambda/aws-cron.js";

// AWS's rules (https://docs.aws.amazon.com/eventbridge/latest/userguide/eb-cron-expressions.html): six fields
// (minutes hours day-of-month month day-of-week year); `?` in exactly one day field; day-of-week 1-7 = SUN-SAT and
// no `/` there; `/` documented after a start value ("1/10"); L and W in day-of-month; L and # in day-of-week, with
// a single `#` expression per field; months 1-12 or JAN-DEC.
describe("translating skiff's 5-field cron into AWS cron(...) syntax", () => {
  it.each([
    ["0 9 * * *", "cron(0 9 * * ? *)", "daily: day-of-week becomes ?"],
    ["* * * * *", "cron(* * * * ? *)", "every minute"],
    ["*/15 * * * *", "cron(0/15 * * * ? *)", "*/n becomes 0/n for minutes"],
    ["0 */6 * * *", "cron(0 0/6 * * ? *)", "and for hours"],
    ["0 0 */2 * *", "cron(0 0 1/2 * ? *)", "1/n for day-of-month"],
    ["0 0 1 */3 *", "cron(0 0 1 1/3 ? *)", "1/n for months"],
    ["5-30/5 * * * *", "cron(5,10,15,20,25,30 * * * ? *)", "a stepped range is spelled out"],
    ["0 9 1-10/3 * *", "cron(0 9 1,4,7,10 * ? *)", "in day-of-month too"],
    ["07 09 * * *", "cron(7 9 * * ? *)", "leading zeros dropped"],
    ["0 9 1,15 * *", "cron(0 9 1,15 * ? *)", "day-of-month list: day-of-week becomes ?"],
    ["0 0 29 2 *", "cron(0 0 29 2 ? *)", "29 February"],
    ["0 0 1 JAN-MAR *", "cron(0 0 1 JAN-MAR ? *)", "month names kept"],
    ["0 0 1 jan,jul *", "cron(0 0 1 JAN,JUL ? *)", "month names upper-cased"],
    ["0 9 L * *", "cron(0 9 L * ? *)", "last day of the month"],
    ["0 9 LW * *", "cron(0 9 LW * ? *)", "last weekday of the month"],
    ["0 9 15W * *", "cron(0 9 15W * ? *)", "weekday nearest the 15th"],
    ["0 9 * * MON-FRI", "cron(0 9 ? * MON-FRI *)", "weekdays: day-of-month becomes ?"],
    ["0 9 * * sun", "cron(0 9 ? * SUN *)", "Sunday (standard 0, AWS 1) by name"],
    ["0 9 * * SUN,SAT", "cron(0 9 ? * SUN,SAT *)", "weekend"],
    ["0 9 * * FRI-SAT,SUN", "cron(0 9 ? * SUN,FRI,SAT *)", "a list in any order comes out sorted"],
    ["0 9 * * TUE,WED,THU", "cron(0 9 ? * TUE-THU *)", "three consecutive days become a range"],
    ["0 9 * * */2", "cron(0 9 ? * SUN,TUE,THU,SAT *)", "no / in AWS day-of-week: expanded"],
    ["0 9 * * MON-FRI/2", "cron(0 9 ? * MON,WED,FRI *)", "stepped weekday range expanded"],
    ["0 9 * * SUN-SAT", "cron(0 9 ? * * *)", "every weekday is *"],
    ["0 12 * * SUN#2", "cron(0 12 ? * 1#2 *)", "second Sunday: SUN is 1 on AWS"],
    ["0 12 * * MON#1", "cron(0 12 ? * 2#1 *)", "first Monday: MON is 2"],
    ["0 12 * * SAT#5", "cron(0 12 ? * 7#5 *)", "fifth Saturday: SAT is 7"],
    ["0 18 * * FRIL", "cron(0 18 ? * 6L *)", "last Friday: FRI is 6"],
  ])("%s -> %s (%s)", (expression, aws) => {
    expect(toAwsCron(expression)).toBe(aws);
  });

  it.each([
    ["0 9 1 * MON", /restricts both day-of-month \("1"\) and day-of-week \("MON"\).*Register two crons/],
    ["0 9 L * FRI", /restricts both day-of-month/],
    ["0 9 * * MON#2,WED", /single "<day>#<n>" or "<day>L" term/],
    ["0 9 * * 1-5", /numeric day-of-week "1"/], // refused by skiff itself: Cloudflare and cron disagree on numbers
    ["0 0 9 * * *", /must have 5 fields/],
    ["61 * * * *", /minute 61 is outside 0-59/],
  ])("refuses %s with a message that names it", (expression, reason) => {
    let error: unknown;
    try {
      toAwsCron(expression);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(AwsCronError);
    expect((error as AwsCronError).expression).toBe(expression);
    expect((error as Error).message).toContain(`cron "${expression}" cannot be expressed in AWS cron syntax`);
    expect((error as Error).message).toMatch(reason);
  });

  it("always yields six fields with ? in exactly one day field", () => {
    for (const e of ["0 9 * * *", "*/5 1-3 * * MON", "0 0 L 1,6 *", "0 0 * * SAT#1"]) {
      const fields = /^cron\((.*)\)$/.exec(toAwsCron(e))?.[1]?.split(" ") ?? [];
      expect(fields).toHaveLength(6);
      expect([fields[2], fields[4]].filter((f) => f === "?")).toHaveLength(1);
      expect(fields[4]).not.toContain("/");
    }
  });
});
