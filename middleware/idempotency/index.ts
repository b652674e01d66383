export { idempotency } from "./idempotency.js";
export type { IdempotencyOptions, IdempotencyVariables } from "./idempotency.js";
export { idempotentConsumer } from "./consumer.js";
export type { IdempotentConsumerOptions } from "./consumer.js";
