import { describe, expect, it } from "vitest";
import { SkiffError } from "../../../src/errors.js";
import { detectHttpEvent, toRequest } from "../../../src/adapters/lambda/http/index.js";
import { fixture } from "./support/events.js";
import { rest, restOpenApi, httpApi, functionUrl, albSingle, albMulti, serve } from "./support/http.js";

describe("detecting the event source", () => {
  it("recognises every HTTP fixture by shape", () => {
    expect(detectHttpEvent(rest())).toBe("apigw-v1");
    expect(detectHttpEvent(restOpenApi())).toBe("apigw-v1");
    expect(detectHttpEvent(httpApi())).toBe("apigw-v2");
    expect(detectHttpEvent(functionUrl())).toBe("apigw-v2");
    expect(detectHttpEvent(albSingle())).toBe("alb");
    expect(detectHttpEvent(albMulti())).toBe("alb");
  });

  it("never takes a REST event behind a custom-domain base-path mapping for v2", () => {
    const event = rest();
    event.path = "/api/hello/world";
    event.headers = { ...event.headers, Host: "api.example.com" };
    event.requestContext = {
      ...event.requestContext,
      path: "/api/hello/world",
      domainName: "api.example.com",
    };
    expect(detectHttpEvent(event)).toBe("apigw-v1");
    // HTTP API payload format 1.0 is REST-shaped and says so.
    expect(detectHttpEvent({ ...rest(), version: "1.0" })).toBe("apigw-v1");
  });

  it("returns undefined for SQS, S3, SNS, schedules and non-objects, and the handler refuses them", async () => {
    for (const name of ["sqs-event.json", "s3-event.json", "sns-event.json"]) {
      expect(detectHttpEvent(fixture<unknown>(name))).toBeUndefined();
      await expect(serve(fixture<unknown>(name))).rejects.toThrow(SkiffError);
    }
    const scheduled = { "detail-type": "Scheduled Event", source: "aws.events", resources: [], detail: {} };
    for (const other of [scheduled, null, "GET /", [], {}, { httpMethod: "GET" }]) {
      expect(detectHttpEvent(other)).toBeUndefined();
    }
  });

  it("ties each event type to its kind at compile time", () => {
    // @ts-expect-error an ALB event is not a v2 event
    expect(() => toRequest(albSingle(), "apigw-v2")).toThrow();
    expect(toRequest(albSingle(), "alb").method).toBe("GET");
  });
});
