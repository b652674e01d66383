// skiff: the app author's API. What adapter authors need (runtime assembly, dispatch, backends) is skiff/adapter.
export { Skiff, type SkiffOptions, type WithWorkflows } from "./app.js";
export { NonRetryableError, WorkflowTimeoutError, WorkflowStepError } from "./workflows/errors.js";
export { WORKFLOW_LIMITS } from "./workflows/limits.js";
export type { WorkflowOptions, WorkflowRegistration } from "./workflows/registration.js";
export type {
  Duration,
  DurationUnit,
  RetryPolicy,
  StepAttempt,
  StepOptions,
  StepCall,
  WorkflowEvent,
  WorkflowStep,
  WorkflowStart,
  WorkflowHandler,
  WorkflowStatus,
  WorkflowErrorInfo,
  WorkflowStepInfo,
  WorkflowRun,
  WorkflowClient,
  WorkflowClients,
  WorkflowSchemas,
  WorkflowPayload,
  WorkflowPayloadOf,
} from "./workflows/types.js";
export { sql, isSqlQuery, type SqlQuery, type SqlValue } from "./bindings/db/sql.js";
export type { Database, DatabaseTransaction, Row, RunResult, BatchResult } from "./bindings/db/database.js";
export type { Migration, MigrationReport } from "./bindings/db/migrate.js";
export type {
  KVStore,
  KVPutOptions,
  KVListOptions,
  KVListResult,
  KVListKey,
  KVValue,
} from "./bindings/kv/types.js";
export { KV_LIMITS } from "./bindings/kv/limits.js";
export { QUEUE_LIMITS, type QueueProducer, type SendOptions } from "./bindings/queues/types.js";
export {
  SkiffError,
  ConfigError,
  ValidationError,
  ProblemError,
  problemResponse,
  statusTitle,
  type FieldIssue,
} from "./errors.js";
export { onError, notFound } from "./problem.js";
export {
  createLogger,
  consoleSink,
  type Logger,
  type LogLevel,
  type LogRecord,
  type LogSink,
  type LoggerOptions,
} from "./logger.js";
export { validateCron, type CronEvent } from "./triggers/cron/index.js";
export type {
  QueueMessage,
  QueueBatch,
  CronHandler,
  QueueHandler,
  QueueBatchHandler,
  QueueOptions,
} from "./triggers/types.js";
export type {
  PlatformName,
  QueueSchemas,
  Producers,
  SkiffVariables,
  SkiffEnv,
  BindingsOf,
  VariablesOf,
  TriggerContext,
  UntypedQueues,
  UntypedWorkflows,
  WorkflowsOf,
  WorkflowTimings,
  ForeignHono,
} from "./types.js";
export type { AnySchema, SchemaInput, SchemaOutput } from "./schema.js";
export type { SkiffRoutes } from "./routes.js";
export type {
  Bucket,
  BucketBody,
  BucketObject,
  BucketObjectInfo,
  BucketPutOptions,
  BucketListOptions,
  BucketListResult,
} from "./bindings/buckets/types.js";
export { BUCKET_LIMITS } from "./bindings/buckets/limits.js";
export type {
  StorageEvent,
  StorageEventName,
  StorageHandler,
  StorageOptions,
  BucketDeclaration,
  BucketDeclarations,
  Buckets,
  BucketsOf,
  WithBuckets,
  UntypedBuckets,
} from "./triggers/storage/types.js";
export {
  dropChangeTriggers,
  type ChangeEvent,
  type ChangeHandler,
  type ChangeKey,
  type ChangeOperation,
  type ChangeOptions,
} from "./triggers/changes/index.js";
