export { logger } from "./logger.js";
export type { LoggerMiddlewareOptions, LoggerVariables } from "./logger.js";
export { ALWAYS_REDACTED, REDACTED, redactingSink } from "./redact.js";
