export * from "./request-id/index.js";
export * from "./validate/index.js";
export * from "./auth/index.js";
export * from "./body-limit/index.js";
export * from "./logger/index.js";
export * from "./rate-limit/index.js";
export * from "./idempotency/index.js";
export * from "./openapi/index.js";
