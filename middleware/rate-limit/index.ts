export { rateLimit } from "./rate-limit.js";
export type { RateLimitInfo, RateLimitVariables } from "./rate-limit.js";
export type { RateLimitBinding, RateLimitKey, RateLimitOptions } from "./options.js";
export { clientIp } from "./client-ip.js";
export type { ClientIpOptions } from "./client-ip.js";
export type { RateLimitAlgorithm } from "./window.js";
