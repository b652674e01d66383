// The event sources Lambda documents that skiff does not route, in one table, so a refusal always names the
// kind. Internal: used by detect.ts. Shapes follow each service's "using Lambda with ..." page; the fixtures in
// test/fixtures/aws-events-docs (README there) are taken from those pages.
import { apiGatewayNotHttp } from "./http/_not-http.js";

type Event = Record<string, unknown>;

const isRecord = (value: unknown): value is Event =>
  typeof value === "object" && value !== null && !Array.isArray(value);
const isString = (value: unknown): value is string => typeof value === "string";

/**
 * @internal One kind of event skiff refuses: `name` says what sent it, `evidence` the fields that tell it apart
 * (field names and AWS-defined values only, never payload), and `advice` what to do instead, when there is more to
 * say than "route it yourself".
 *
 * @example
 * ```ts
 * const s3: UnroutedKind = { name: "an S3 event", evidence: 'Records[].eventSource "aws:s3"' };
 * ```
 */
export interface UnroutedKind {
  name: string;
  evidence: string;
  advice?: string;
}

type Row = (event: Event) => UnroutedKind | undefined;

// `Records[].eventSource` (`EventSource` for SNS), https://docs.aws.amazon.com/lambda/latest/dg/lambda-services.html
const RECORD_SOURCES: Readonly<Record<string, string>> = {
  "aws:s3": "an S3",
  "aws:sns": "an SNS",
  "aws:dynamodb": "a DynamoDB Streams",
  "aws:kinesis": "a Kinesis",
  "aws:ses": "an SES",
  "aws:codecommit": "a CodeCommit",
};

// Top-level `eventSource` of the pollers that batch by partition or queue rather than in `Records`.
const TOP_SOURCES: Readonly<Record<string, string>> = {
  "aws:kafka": "an Amazon MSK",
  SelfManagedKafka: "a self-managed Kafka",
  "aws:mq": "an Amazon MQ for ActiveMQ",
  "aws:rmq": "an Amazon MQ for RabbitMQ",
  "aws:docdb": "a DocumentDB change stream",
};

const SECRET_STEPS = new Set(["createSecret", "setSecret", "testSecret", "finishSecret"]);
const CFN_REQUESTS = new Set(["Create", "Update", "Delete"]);
const OBJECT_LAMBDA_CONTEXTS = [
  "getObjectContext",
  "headObjectContext",
  "listObjectsContext",
  "listObjectsV2Context",
];

const kind = (name: string, evidence: string, advice?: string): UnroutedKind =>
  advice === undefined ? { name, evidence } : { name, evidence, advice };

/** First match wins; rows that share fields with a later row come first. */
const ROWS: readonly Row[] = [
  (e) => apiGatewayNotHttp(e),
  (e) => {
    const records = e.Records;
    const first = Array.isArray(records) && isRecord(records[0]) ? records[0] : undefined;
    if (!first) return undefined;
    // https://docs.aws.amazon.com/AmazonCloudFront/latest/DeveloperGuide/lambda-event-structure.html
    if (isRecord(first.cf) && isRecord(first.cf.config)) {
      const type = first.cf.config.eventType;
      return kind(
        "a CloudFront Lambda@Edge event",
        isString(type) ? `Records[].cf.config.eventType "${type}"` : "Records[].cf",
        "Lambda@Edge expects a CloudFront request or response object back, so it needs its own function",
      );
    }
    const field = isString(first.eventSource) ? "eventSource" : "EventSource";
    const source = first[field];
    if (!isString(source)) return undefined;
    return kind(`${RECORD_SOURCES[source] ?? "an"} event`, `Records[].${field} "${source}"`);
  },
  (e) =>
    isString(e.eventSource) && (TOP_SOURCES[e.eventSource] !== undefined || e.eventSource.startsWith("aws:"))
      ? kind(`${TOP_SOURCES[e.eventSource] ?? "an"} event`, `eventSource "${e.eventSource}"`)
      : undefined,
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/batch-ops-invoke-lambda.html
  (e) =>
    isString(e.invocationSchemaVersion) && isRecord(e.job) && Array.isArray(e.tasks)
      ? kind(
          "an S3 Batch Operations job",
          `invocationSchemaVersion "${e.invocationSchemaVersion}", job, tasks`,
        )
      : undefined,
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/olap-event-context.html
  (e) => {
    const context = OBJECT_LAMBDA_CONTEXTS.find((name) => isRecord(e[name]));
    return context !== undefined && isRecord(e.configuration)
      ? kind(
          "an S3 Object Lambda request",
          context,
          "an Object Lambda function answers through WriteGetObjectResponse, so it needs its own function",
        )
      : undefined;
  },
  // https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-content-structure.html
  (e) => (e.Event === "s3:TestEvent" ? kind("an S3 test event", 'Event "s3:TestEvent"') : undefined),
  // https://docs.aws.amazon.com/firehose/latest/dev/data-transformation.html
  (e) =>
    isString(e.deliveryStreamArn) && Array.isArray(e.records)
      ? kind("an Amazon Data Firehose transformation", "deliveryStreamArn, records")
      : undefined,
  // https://docs.aws.amazon.com/lambda/latest/dg/services-cloudwatchlogs.html
  (e) => (isRecord(e.awslogs) ? kind("a CloudWatch Logs subscription event", "awslogs.data") : undefined),
  // https://docs.aws.amazon.com/cognito/latest/developerguide/cognito-user-pools-working-with-lambda-triggers.html
  (e) =>
    isString(e.triggerSource)
      ? kind("a Cognito user pool trigger", `triggerSource "${e.triggerSource}"`)
      : undefined,
  (e) =>
    e.eventType === "SyncTrigger" && isString(e.identityPoolId)
      ? kind("a Cognito Sync trigger", 'eventType "SyncTrigger"')
      : undefined,
  // https://docs.aws.amazon.com/appsync/latest/devguide/security-authz.html#aws-lambda-authorization
  (e) =>
    isString(e.authorizationToken) && isRecord(e.requestContext) && isString(e.requestContext.queryString)
      ? kind("an AppSync Lambda authorizer invocation", "authorizationToken, requestContext.queryString")
      : undefined,
  // https://docs.aws.amazon.com/appsync/latest/devguide/resolver-context-reference-js.html
  (e) =>
    isRecord(e.info) && isString(e.info.fieldName) && isString(e.info.parentTypeName) && "arguments" in e
      ? kind("an AppSync resolver invocation", "arguments, info.fieldName, info.parentTypeName")
      : undefined,
  // https://docs.aws.amazon.com/vpc-lattice/latest/ug/lambda-functions.html#receive-event-from-service
  (e) =>
    e.version === "2.0" && isRecord(e.requestContext) && isString(e.requestContext.serviceNetworkArn)
      ? kind(
          "a VPC Lattice request, event structure v2",
          'version "2.0", requestContext.serviceNetworkArn',
          "put an ALB, API Gateway or a Function URL in front of the function to serve it with skiff",
        )
      : undefined,
  (e) =>
    isString(e.raw_path) && isString(e.method) && "is_base64_encoded" in e
      ? kind(
          "a VPC Lattice request, event structure v1",
          "raw_path, method, is_base64_encoded",
          "put an ALB, API Gateway or a Function URL in front of the function to serve it with skiff",
        )
      : undefined,
  // https://docs.aws.amazon.com/config/latest/developerguide/evaluate-config_develop-rules_example-events.html
  (e) =>
    isString(e.invokingEvent) && isString(e.resultToken)
      ? kind("an AWS Config rule evaluation", "invokingEvent, resultToken")
      : undefined,
  // https://docs.aws.amazon.com/codepipeline/latest/userguide/actions-invoke-lambda-function.html
  (e) => (isRecord(e["CodePipeline.job"]) ? kind("a CodePipeline job", '"CodePipeline.job"') : undefined),
  // https://docs.aws.amazon.com/AWSCloudFormation/latest/UserGuide/crpg-ref-requests.html
  (e) =>
    isString(e.RequestType) &&
    CFN_REQUESTS.has(e.RequestType) &&
    isString(e.ResponseURL) &&
    isString(e.StackId)
      ? kind(
          "a CloudFormation custom resource request",
          `RequestType "${e.RequestType}", ResponseURL, StackId`,
          "CloudFormation waits for an answer at ResponseURL (up to an hour), so give the custom resource its own function",
        )
      : undefined,
  // https://docs.aws.amazon.com/iot/latest/developerguide/config-custom-auth.html
  (e) =>
    isRecord(e.protocolData) && isRecord(e.connectionMetadata)
      ? kind("an AWS IoT custom authorizer invocation", "protocolData, connectionMetadata")
      : undefined,
  (e) =>
    isRecord(e.deviceEvent) && isRecord(e.deviceInfo)
      ? kind("an AWS IoT 1-Click event", "deviceEvent, deviceInfo")
      : undefined,
  // https://docs.aws.amazon.com/lexv2/latest/dg/lambda-input-format.html
  (e) =>
    isRecord(e.bot) && isString(e.bot.localeId) && isRecord(e.sessionState)
      ? kind("an Amazon Lex V2 code hook", "bot.localeId, sessionState")
      : undefined,
  // https://docs.aws.amazon.com/lex/latest/dg/lambda-input-response-format.html
  (e) =>
    isRecord(e.currentIntent) && isRecord(e.bot) && isString(e.invocationSource)
      ? kind("an Amazon Lex V1 code hook", "currentIntent, bot, invocationSource")
      : undefined,
  // https://docs.aws.amazon.com/connect/latest/adminguide/connect-lambda-functions.html
  (e) =>
    e.Name === "ContactFlowEvent" && isRecord(e.Details)
      ? kind("an Amazon Connect flow invocation", 'Name "ContactFlowEvent", Details')
      : undefined,
  // https://docs.aws.amazon.com/secretsmanager/latest/userguide/rotate-secrets_lambda-functions.html
  (e) =>
    isString(e.Step) && SECRET_STEPS.has(e.Step) && isString(e.SecretId) && isString(e.ClientRequestToken)
      ? kind("a Secrets Manager rotation step", `Step "${e.Step}", SecretId, ClientRequestToken`)
      : undefined,
  // https://docs.aws.amazon.com/bedrock/latest/userguide/agents-lambda.html
  (e) =>
    isRecord(e.agent) && isString(e.actionGroup)
      ? kind("an Amazon Bedrock agent action group invocation", "agent, actionGroup")
      : undefined,
  // https://docs.aws.amazon.com/AmazonCloudWatch/latest/monitoring/AlarmThatSendsEmail.html#alarms-and-actions-Lambda
  (e) =>
    e.source === "aws.cloudwatch" && isRecord(e.alarmData)
      ? kind("a CloudWatch alarm action", 'source "aws.cloudwatch", alarmData')
      : undefined,
  // https://developer.amazon.com/en-US/docs/alexa/custom-skills/request-and-response-json-reference.html
  (e) =>
    isRecord(e.request) && isString(e.request.type) && isRecord(e.context) && isRecord(e.context.System)
      ? kind("an Alexa Skills Kit request", "request.type, context.System")
      : undefined,
  (e) =>
    isRecord(e.directive) && isRecord(e.directive.header)
      ? kind("an Alexa Smart Home directive", "directive.header")
      : undefined,
  // Every other EventBridge event (https://docs.aws.amazon.com/eventbridge/latest/ref/overiew-event-structure.html).
  (e) =>
    isString(e.source) && isString(e["detail-type"])
      ? kind("an EventBridge event", `source "${e.source}", detail-type "${e["detail-type"]}"`)
      : undefined,
];

/**
 * @internal The documented kind of an event skiff does not route, or `undefined` when nothing in the table matches.
 * An array is looked at through its first element (AppSync batch resolvers and EventBridge Pipes send arrays).
 *
 * @example
 * ```ts
 * unroutedKind({ Records: [{ eventSource: "aws:s3" }] }) // { name: "an S3 event", evidence: 'Records[].eventSource "aws:s3"' }
 * ```
 */
export function unroutedKind(event: unknown): UnroutedKind | undefined {
  if (Array.isArray(event)) {
    const first: unknown = event[0];
    const inner = isRecord(first) ? unroutedKind(first) : undefined;
    return inner && { ...inner, name: `a batch of ${inner.name.replace(/^an? /, "")}s` };
  }
  if (!isRecord(event)) return undefined;
  for (const row of ROWS) {
    const found = row(event);
    if (found !== undefined) return found;
  }
  return undefined;
}
