export { Skiff, type SkiffOptions } from "./app.js";
export { sql, isSqlQuery, type SqlQuery, type SqlValue } from "./bindings/db/sql.js";
export {
  Database,
  DatabaseTransaction,
  type Row,
  type RunResult,
  type BatchResult,
  type ClientFactory,
} from "./bindings/db/database.js";
export { migrate, type Migration, type MigrationReport } from "./bindings/db/migrate.js";
export { ensureSchema } from "./bindings/db/ensure-schema.js";
export { resolveDatabaseConfig, type DatabaseConfig } from "./bindings/db/config.js";
export type {
  KVStore,
  KVPutOptions,
  KVListOptions,
  KVListResult,
  KVListKey,
  KVValue,
} from "./bindings/kv/types.js";
export { KVBackend, type KVEntry } from "./bindings/kv/base.js";
export { KV_LIMITS } from "./bindings/kv/limits.js";
export { MemoryKV } from "./bindings/kv/memory.js";
export { LibsqlKV } from "./bindings/kv/libsql.js";
export {
  QUEUE_LIMITS,
  type QueueProducer,
  type QueueTransport,
  type OutgoingMessage,
  type SendOptions,
} from "./bindings/queues/types.js";
export { createProducer } from "./bindings/queues/producer.js";
export { LibsqlQueueStore, type LeasedMessage, type QueueStats } from "./bindings/queues/libsql/store.js";
export {
  drainOnce,
  drainQueues,
  drainUntilIdle,
  type DrainLimits,
  type PullQueueRuntime,
} from "./triggers/pull-queue.js";
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
export { WaitUntilTracker, safeWaitUntil } from "./wait-until.js";
export {
  SkiffRuntime,
  createRuntime,
  runtimeContext,
  type RuntimeOptions,
  type RuntimeExecutionContext,
} from "./runtime.js";
export { validateCron, cronSlug, cronFromSlug, type CronEvent } from "./triggers/cron/index.js";
export { dispatchCron } from "./triggers/dispatch-cron.js";
export {
  dispatchQueue,
  type IncomingMessage,
  type MessageResult,
  type DispatchQueueOptions,
} from "./triggers/dispatch-queue.js";
export { TriggerRegistry } from "./triggers/registry.js";
export type * from "./triggers/types.js";
export type * from "./types.js";
export {
  parseWithSchema,
  toFieldIssues,
  type AnySchema,
  type SchemaInput,
  type SchemaOutput,
} from "./schema.js";
