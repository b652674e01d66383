export { toLambda } from "./to-lambda.js";
export type { LambdaBindingsOptions, LambdaOptions, LambdaStreamOptions, SqsOptions } from "./options.js";
export type { LambdaResponseStream, LambdaStreamingHandler } from "./stream.js";
export { detectLambdaEvent, type LambdaEventKind } from "./detect.js";
export { scheduleRuleName, cronFromRuleName, scheduleInput } from "./schedule.js";
export { queueUrlVariable } from "./queue-url.js";
export { bucketVariable, type LambdaStorageKind } from "./storage.js";
export type {
  LambdaContext,
  LambdaHandler,
  LambdaResult,
  ScheduledEvent,
  ScheduleInput,
  SqsBatchResponse,
  SqsEvent,
  SqsRecord,
} from "./types.js";
export * from "./http/index.js";
