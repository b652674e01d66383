// skiff/adapter: what an adapter author assembles a platform from: the runtime, the trigger dispatchers and the
// pull-queue engine, the backends, and the cron helpers generated config and event translation use. App authors
// import from `skiff`; nothing here is needed to write an app. Edge-safe: no Node built-in is reachable from it.
export {
  SkiffRuntime,
  createRuntime,
  runtimeContext,
  type RuntimeOptions,
  type RuntimeExecutionContext,
} from "./runtime.js";
export { WaitUntilTracker, safeWaitUntil } from "./wait-until.js";
export { TriggerRegistry } from "./triggers/registry.js";
export type {
  TriggerRuntime,
  CronRegistration,
  QueueRegistration,
  ResolvedQueueOptions,
} from "./triggers/types.js";
export { dispatchCron } from "./triggers/dispatch-cron.js";
export {
  dispatchQueue,
  type IncomingMessage,
  type MessageResult,
  type DispatchQueueOptions,
} from "./triggers/dispatch-queue.js";
export {
  drainOnce,
  drainQueues,
  drainUntilIdle,
  type DrainLimits,
  type PullQueueRuntime,
} from "./triggers/pull-queue.js";
export {
  cronKey,
  cronSlug,
  cronFromSlug,
  parseCron,
  nextOccurrence,
  latestOccurrence,
  renderAws,
  renderAzure,
  renderGcp,
  renderNetlify,
  renderVercel,
  AwsCronError,
  type CronFields,
} from "./triggers/cron/index.js";
export { Database, DatabaseTransaction, type ClientFactory } from "./bindings/db/database.js";
export { migrate } from "./bindings/db/migrate.js";
export { ensureSchema } from "./bindings/db/ensure-schema.js";
export { resolveDatabaseConfig, type DatabaseConfig } from "./bindings/db/config.js";
export { webDatabase, type WebDatabaseOptions } from "./bindings/db/web.js";
export { libsqlClientOptions } from "./bindings/db/client-options.js";
export { splitStatements } from "./bindings/db/split-statements.js";
export { KVBackend, type KVEntry } from "./bindings/kv/base.js";
export { MemoryKV } from "./bindings/kv/memory.js";
export { LibsqlKV } from "./bindings/kv/libsql.js";
export { CloudflareKV, type KVNamespaceBinding } from "./bindings/kv/cloudflare.js";
export { createProducer } from "./bindings/queues/producer.js";
export type { QueueTransport, OutgoingMessage } from "./bindings/queues/types.js";
export { LibsqlQueueStore, type LeasedMessage, type QueueStats } from "./bindings/queues/libsql/store.js";
export { cloudflareQueue, type QueueBinding } from "./bindings/queues/cloudflare.js";
export { SqsClient } from "./bindings/queues/sqs/client.js";
export { sqsTransport } from "./bindings/queues/sqs/transport.js";
export { queueNameMap } from "./bindings/queues/names.js";
export { libsqlBindings, type LibsqlBindings } from "./bindings/libsql.js";
export { parseWithSchema, toFieldIssues } from "./schema.js";
export { WorkflowEngine, type WorkflowEngineOptions } from "./workflows/engine.js";
export {
  listRuns,
  getRun,
  cancelRun,
  retryRun,
  ensureWorkflowSchema,
  type WorkflowRunSummary,
} from "./workflows/admin.js";
export { WORKFLOW_QUEUE, WORKFLOW_TIMER_CRON, WORKFLOW_SCHEMA } from "./workflows/schema.js";
export { WAKE_SCHEMA, type WakeMessage, type EngineTimings } from "./workflows/wake.js";
