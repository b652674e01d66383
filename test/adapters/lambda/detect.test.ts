import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { Skiff, SkiffError } from "skiff";
import { detectHttpEvent, detectLambdaEvent, handleHttpEvent, toLambda } from "skiff/lambda";

/**
 * Every event source Lambda documents is either routed or refused with an error that names it. The events are the
 * examples of AWS's documentation pages, in test/fixtures/aws-events-docs (README there names each page).
 */
const docs = (name: string): unknown =>
  JSON.parse(readFileSync(new URL(`../../fixtures/aws-events-docs/${name}`, import.meta.url), "utf8")) as unknown;

// A route that answers everything: an event that reached it would answer 200.
const served: string[] = [];
const app = new Skiff();
app.all("*", (c) => {
  served.push(c.req.path);
  return c.text("served");
});

const refusal = async (event: unknown): Promise<string> => {
  served.length = 0;
  // No env: a refusal must not depend on any configuration.
  const error = await toLambda(app, { env: {} })(event).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(SkiffError);
  expect(served).toEqual([]);
  const { message } = error as SkiffError;
  expect(message).toMatch(/^\[skiff\] toLambda received /);
  expect(message).toContain("which skiff does not route");
  expect(message).not.toContain("unrecognised");
  return message;
};

describe("API Gateway authorizers and WebSocket events are never served as HTTP requests", () => {
  it.each([
    [
      "apigw-authorizer-token.json",
      'an API Gateway REST TOKEN authorizer invocation (type "TOKEN", methodArn)',
    ],
    [
      "apigw-authorizer-request.json",
      'an API Gateway REST REQUEST authorizer invocation (type "REQUEST", methodArn)',
    ],
    [
      "http-api-authorizer-v1.json",
      'an API Gateway HTTP API authorizer invocation, payload format 1.0 (type "REQUEST", version "1.0", methodArn)',
    ],
    [
      "http-api-authorizer-v2.json",
      'an API Gateway HTTP API authorizer invocation, payload format 2.0 (type "REQUEST", routeArn)',
    ],
  ])("refuses the %s authorizer input, saying it needs its own function", async (name, kind) => {
    const event = docs(name);
    expect(detectHttpEvent(event)).toBeUndefined();
    expect(detectLambdaEvent(event)).toBeUndefined();
    const message = await refusal(event);
    expect(message).toContain(`toLambda received ${kind}, which skiff does not route`);
    expect(message).toContain("an authorizer must answer with an IAM policy or { isAuthorized }");
  });

  it.each([
    [
      "websocket-connect.json",
      'an API Gateway WebSocket $connect event (requestContext.eventType "CONNECT")',
    ],
    [
      "websocket-disconnect.json",
      'an API Gateway WebSocket $disconnect event (requestContext.eventType "DISCONNECT")',
    ],
    ["websocket-message.json", 'an API Gateway WebSocket message (requestContext.eventType "MESSAGE")'],
  ])("refuses the %s WebSocket event", async (name, kind) => {
    const event = docs(name);
    expect(detectLambdaEvent(event)).toBeUndefined();
    const message = await refusal(event);
    expect(message).toContain(`toLambda received ${kind}, which skiff does not route`);
    expect(message).toContain("skiff serves HTTP only");
  });

  it("refuses a WebSocket API's REQUEST authorizer, which carries the connection id", async () => {
    const connect = docs("websocket-connect.json") as { requestContext: Record<string, unknown> };
    const event = {
      ...connect,
      type: "REQUEST",
      methodArn: "arn:aws:execute-api:us-east-1:123456789012:abcd1234/prod/$connect",
    };
    expect(await refusal(event)).toContain(
      'an API Gateway WebSocket authorizer invocation (type "REQUEST", methodArn, requestContext.connectionId)',
    );
  });

  it("refuses them in handleHttpEvent too, for code that serves HTTP events without toLambda", async () => {
    for (const name of [
      "apigw-authorizer-request.json",
      "http-api-authorizer-v1.json",
      "http-api-authorizer-v2.json",
    ]) {
      await expect(handleHttpEvent(docs(name), () => new Response("served"))).rejects.toThrow(
        "not a Lambda HTTP event",
      );
    }
  });
});

describe("every other documented event source is refused with an error that names it", () => {
  it.each([
    ["dynamodb-stream.json", 'a DynamoDB Streams event (Records[].eventSource "aws:dynamodb")'],
    ["kinesis.json", 'a Kinesis event (Records[].eventSource "aws:kinesis")'],
    ["ses.json", 'an SES event (Records[].eventSource "aws:ses")'],
    ["codecommit.json", 'a CodeCommit event (Records[].eventSource "aws:codecommit")'],
    [
      "cloudfront-viewer-request.json",
      'a CloudFront Lambda@Edge event (Records[].cf.config.eventType "viewer-request")',
    ],
    ["msk.json", 'an Amazon MSK event (eventSource "aws:kafka")'],
    ["kafka-self-managed.json", 'a self-managed Kafka event (eventSource "SelfManagedKafka")'],
    ["mq-activemq.json", 'an Amazon MQ for ActiveMQ event (eventSource "aws:mq")'],
    ["mq-rabbitmq.json", 'an Amazon MQ for RabbitMQ event (eventSource "aws:rmq")'],
    ["documentdb.json", 'a DocumentDB change stream event (eventSource "aws:docdb")'],
    ["s3-batch-v1.json", 'an S3 Batch Operations job (invocationSchemaVersion "1.0", job, tasks)'],
    ["s3-batch-v2.json", 'an S3 Batch Operations job (invocationSchemaVersion "2.0", job, tasks)'],
    ["s3-object-lambda-get-object.json", "an S3 Object Lambda request (getObjectContext)"],
    ["s3-test-event.json", 'an S3 test event (Event "s3:TestEvent")'],
    ["firehose.json", "an Amazon Data Firehose transformation (deliveryStreamArn, records)"],
    ["cloudwatch-logs.json", "a CloudWatch Logs subscription event (awslogs.data)"],
    ["cognito-pre-signup.json", 'a Cognito user pool trigger (triggerSource "PreSignUp_SignUp")'],
    ["cognito-sync.json", 'a Cognito Sync trigger (eventType "SyncTrigger")'],
    [
      "appsync-authorizer.json",
      "an AppSync Lambda authorizer invocation (authorizationToken, requestContext.queryString)",
    ],
    [
      "appsync-resolver.json",
      "an AppSync resolver invocation (arguments, info.fieldName, info.parentTypeName)",
    ],
    [
      "vpc-lattice-v1.json",
      "a VPC Lattice request, event structure v1 (raw_path, method, is_base64_encoded)",
    ],
    [
      "vpc-lattice-v2.json",
      'a VPC Lattice request, event structure v2 (version "2.0", requestContext.serviceNetworkArn)',
    ],
    ["config.json", "an AWS Config rule evaluation (invokingEvent, resultToken)"],
    ["codepipeline.json", 'a CodePipeline job ("CodePipeline.job")'],
    [
      "cloudformation-custom-resource.json",
      'a CloudFormation custom resource request (RequestType "Create", ResponseURL, StackId)',
    ],
    [
      "iot-custom-authorizer.json",
      "an AWS IoT custom authorizer invocation (protocolData, connectionMetadata)",
    ],
    ["lex-v1.json", "an Amazon Lex V1 code hook (currentIntent, bot, invocationSource)"],
    ["lex-v2.json", "an Amazon Lex V2 code hook (bot.localeId, sessionState)"],
    ["connect.json", 'an Amazon Connect flow invocation (Name "ContactFlowEvent", Details)'],
    [
      "secrets-manager-rotation.json",
      'a Secrets Manager rotation step (Step "createSecret", SecretId, ClientRequestToken)',
    ],
    ["bedrock-agent.json", "an Amazon Bedrock agent action group invocation (agent, actionGroup)"],
    ["cloudwatch-alarm.json", 'a CloudWatch alarm action (source "aws.cloudwatch", alarmData)'],
    ["alexa-skill.json", "an Alexa Skills Kit request (request.type, context.System)"],
    [
      "eventbridge-s3-object-created.json",
      'an EventBridge event (source "aws.s3", detail-type "Object Created")',
    ],
  ])("refuses %s as %s", async (name, kind) => {
    const event = docs(name);
    expect(detectLambdaEvent(event)).toBeUndefined();
    expect(await refusal(event)).toContain(`toLambda received ${kind}, which skiff does not route`);
  });

  it("says what to do instead where the source waits for a particular answer", async () => {
    expect(await refusal(docs("cloudformation-custom-resource.json"))).toContain(
      "CloudFormation waits for an answer at ResponseURL",
    );
    expect(await refusal(docs("s3-object-lambda-get-object.json"))).toContain("WriteGetObjectResponse");
    expect(await refusal(docs("cloudfront-viewer-request.json"))).toContain("Lambda@Edge expects");
  });

  it("names a batch by its first element (AppSync batch resolvers send an array)", async () => {
    const resolver = docs("appsync-resolver.json");
    expect(await refusal([resolver, resolver])).toContain(
      "toLambda received a batch of AppSync resolver invocations (",
    );
    expect(await refusal([1, 2])).toContain("toLambda received an array event,");
  });

  it("never puts payload values in the message", async () => {
    const message = await refusal(docs("apigw-authorizer-token.json"));
    expect(message).not.toContain("allow"); // the caller's token
    expect(await refusal(docs("lex-v1.json"))).not.toContain("roses");
  });
});

describe("an EventBridge rule schedule that skiff did not name says how to map it", () => {
  it("gives the Input to set, as skiff's generated schedules do, and the rule name to use, for the app's crons", async () => {
    const scheduled = new Skiff();
    scheduled.cron("0 9 * * MON-FRI", () => undefined);
    scheduled.cron("*/15 * * * *", () => undefined);
    const error = await toLambda(scheduled, { env: {} })(docs("eventbridge-scheduled-event.json")).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(SkiffError);
    const { message } = error as SkiffError;
    expect(message).toContain(
      'EventBridge rule "my-scheduled-rule" sent a Scheduled Event but its name does not carry a cron expression',
    );
    expect(message).toContain(`set the rule target's Input to {"skiff":"cron","cron":"0 9 * * MON-FRI"}`);
    expect(message).toContain("skiff's generated template gives its EventBridge Scheduler schedules");
    expect(message).toContain(
      'rename the rule scheduleRuleName("0 9 * * MON-FRI", "<prefix>"), e.g. "app-cron-0_9_.x_.x_MON-FRI"',
    );
    expect(message).toContain(`This app's crons: "0 9 * * MON-FRI", "*/15 * * * *".`);
  });

  it("falls back to an example expression when the app has no cron, and skips a rule name too long for EventBridge", async () => {
    const none = await toLambda(new Skiff(), { env: {} })(docs("eventbridge-scheduled-event.json")).catch(
      (e: unknown) => (e as Error).message,
    );
    expect(none).toContain(`{"skiff":"cron","cron":"0 9 * * *"}`);
    // Too long for a 64-character rule name: only the Input can carry it.
    const long = "0,5,10,15,20,25,30,35,40,45,50,55 0,2,4,6,8,10,12,14,16,18,20,22 * * *";
    const busy = new Skiff();
    busy.cron(long, () => undefined);
    const message = await toLambda(busy, { env: {} })(docs("eventbridge-scheduled-event.json")).catch(
      (e: unknown) => (e as Error).message,
    );
    expect(message).toContain(`{"skiff":"cron","cron":"${long}"}`);
    expect(message).not.toContain("rename the rule");
  });
});
