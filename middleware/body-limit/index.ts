export { bodyLimit } from "./body-limit.js";
export type { BodyLimitOptions } from "./body-limit.js";
export { PLATFORM_BODY_LIMITS } from "./platforms.js";
export type { BodyLimitPlatform } from "./platforms.js";
