export {
  toLambda,
  type LambdaHandler,
  type LambdaOptions,
  type LambdaResult,
  type LambdaStreamOptions,
} from "./handler.js";
export type { LambdaResponseStream, LambdaStreamingHandler } from "./stream.js";
export type { LambdaBindingsOptions } from "./bindings.js";
export type { SqsOptions } from "./sqs.js";
export { detectLambdaEvent, type LambdaEventKind } from "./detect.js";
export { scheduleRuleName, cronFromRuleName, scheduleInput } from "./schedule.js";
export { queueUrlVariable } from "./queue-url.js";
export type {
  LambdaContext,
  ScheduledEvent,
  ScheduleInput,
  SqsBatchResponse,
  SqsEvent,
  SqsRecord,
} from "./types.js";
export * from "./http/index.js";
