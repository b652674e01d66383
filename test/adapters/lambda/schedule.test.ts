import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { SkiffError } from "skiff";
import { cronFromRuleName, type ScheduledEvent, scheduleInput, scheduleRuleName } from "skiff/lambda";
import { recorded, resetRecorded, testHandler } from "./support/app.js";
import { ACCOUNT, ruleEvent } from "./support/events.js";
import { type SqsStandIn, startSqsStandIn } from "./support/sqs-stand-in.js";

let standIn: SqsStandIn;
beforeAll(async () => {
  standIn = await startSqsStandIn();
});
afterAll(async () => {
  await standIn.close();
});
beforeEach(resetRecorded);

const WEEKDAYS_9 = "0 9 * * MON-FRI";

describe("EventBridge rule schedules: the rule's name carries the expression", () => {
  it("runs the handlers of the expression in the rule name, at the event's time, with its id", async () => {
    const event = ruleEvent(scheduleRuleName(WEEKDAYS_9, "shop"), "2026-01-05T09:00:00Z");
    expect(event.resources[0]).toBe(`arn:aws:events:us-east-1:${ACCOUNT}:rule/shop-cron-0_9_.x_.x_MON-FRI`);
    expect(await testHandler(standIn)(event)).toBeUndefined();
    expect(recorded.crons).toEqual([
      { cron: WEEKDAYS_9, scheduledTime: Date.parse("2026-01-05T09:00:00Z"), executionId: event.id },
    ]);
  });

  it("reads the rule name from a custom event bus ARN too", async () => {
    const event: ScheduledEvent = {
      ...ruleEvent("x"),
      resources: [`arn:aws:events:us-east-1:${ACCOUNT}:rule/orders-bus/app-cron-0_9_.x_.x_MON-FRI`],
    };
    await testHandler(standIn)(event);
    expect(recorded.crons.map((c) => c.cron)).toEqual([WEEKDAYS_9]);
  });

  it("rejects the fixtures' SampleRule, whose name carries no expression, saying how to name it", async () => {
    const sample = JSON.parse(
      '{"version":"0","id":"890abcde-f123-4567-890a-bcdef1234567","detail-type":"Scheduled Event","source":"aws.events","account":"123456789012","time":"2016-12-30T18:44:49Z","region":"us-east-1","resources":["arn:aws:events:us-east-1:123456789012:rule/SampleRule"],"detail":{}}',
    ) as ScheduledEvent;
    const failure = testHandler(standIn)(sample);
    await expect(failure).rejects.toThrow(SkiffError);
    await expect(failure).rejects.toThrow(
      'EventBridge rule "SampleRule" sent a Scheduled Event but its name does not carry a cron expression',
    );
  });

  it("rejects (so EventBridge retries) when a handler fails or no handler is registered", async () => {
    await expect(testHandler(standIn)(ruleEvent(scheduleRuleName("0 0 1 JAN *", "shop")))).rejects.toThrow(
      "new year job failed",
    );
    await expect(testHandler(standIn)(ruleEvent(scheduleRuleName("5 4 * * *", "shop")))).rejects.toThrow(
      'cron "5 4 * * *" fired but no handler is registered for it',
    );
  });

  it.each([
    "0 9 * * *",
    "*/15 9-17 * * MON-FRI",
    "0 0 L * *",
    "0 0 15W * *",
    "0 12 * * FRI#2",
    "0,30 * * JAN-MAR SUN",
    "0 18 * * FRIL",
  ])("round-trips %s through a rule name of allowed characters", (expression) => {
    const name = scheduleRuleName(expression, "my-cron-service");
    expect(name).toMatch(/^[.\-_A-Za-z0-9]{1,64}$/);
    expect(cronFromRuleName(name)).toBe(expression);
  });

  it("refuses what a rule name cannot carry and ignores names that do not follow the convention", () => {
    expect(() => scheduleRuleName("0 9 * * *", "bad prefix")).toThrow('prefix "bad prefix"');
    expect(() => scheduleRuleName("0 9 * * 1-5", "shop")).toThrow("numeric day-of-week");
    expect(() =>
      scheduleRuleName("0,5,10,15,20,25,30,35,40,45,50,55 */2 * * MON,TUE,WED,THU,FRI", "shop"),
    ).toThrow("EventBridge allows 64");
    expect(cronFromRuleName("SampleRule")).toBeUndefined();
    expect(cronFromRuleName("shop-cron-0_9_.x_.x")).toBeUndefined();
    expect(cronFromRuleName("shop-cron-0_9_.z_.x_.x")).toBeUndefined();
    expect(cronFromRuleName("-cron-0_9_.x_.x_.x")).toBeUndefined();
  });
});

describe("EventBridge Scheduler (and rule targets with an Input): the input names the expression", () => {
  it("documents the input to configure, with Scheduler's placeholders", () => {
    expect(scheduleInput(WEEKDAYS_9)).toEqual({
      skiff: "cron",
      cron: WEEKDAYS_9,
      scheduledTime: "<aws.scheduler.scheduled-time>",
      executionId: "<aws.scheduler.execution-id>",
    });
  });

  it("runs the handlers with the time and execution id Scheduler filled in", async () => {
    const input = {
      ...scheduleInput(WEEKDAYS_9),
      scheduledTime: "2026-01-06T09:00:00Z",
      executionId: "d32c5kddcf5bb8c3",
    };
    await testHandler(standIn)(input);
    expect(recorded.crons).toEqual([
      {
        cron: WEEKDAYS_9,
        scheduledTime: Date.parse("2026-01-06T09:00:00Z"),
        executionId: "d32c5kddcf5bb8c3",
      },
    ]);
  });

  it("fires 'now', on the minute, when nothing replaced the placeholders, and shows the expression as registered", async () => {
    const before = Math.floor(Date.now() / 60_000) * 60_000;
    await testHandler(standIn)({ ...scheduleInput(WEEKDAYS_9), cron: "0  9 * *   MON-FRI" });
    const [fired] = recorded.crons;
    expect(fired?.cron).toBe(WEEKDAYS_9);
    expect(fired?.executionId).toBeUndefined();
    expect(fired?.scheduledTime).toBeGreaterThanOrEqual(before);
    expect((fired?.scheduledTime ?? 1) % 60_000).toBe(0);
  });

  it("accepts a time in ms, and rejects an input without an expression or with a bad time", async () => {
    await testHandler(standIn)({ skiff: "cron", cron: WEEKDAYS_9, scheduledTime: 1_767_600_000_000 });
    expect(recorded.crons[0]?.scheduledTime).toBe(1_767_600_000_000);
    await expect(testHandler(standIn)({ skiff: "cron" })).rejects.toThrow(
      "a schedule input must name its cron expression",
    );
    await expect(
      testHandler(standIn)({ skiff: "cron", cron: WEEKDAYS_9, scheduledTime: "yesterday" }),
    ).rejects.toThrow('schedule scheduledTime "yesterday" is not an ISO time');
  });
});
