export type { CronEvent } from "./event.js";
export type { CronField, CronFields, CronTerm } from "./fields.js";
export { latestOccurrence, nextOccurrence } from "./occurrences.js";
export { MONTHS, parseCron, validateCron, WEEKDAYS } from "./parse.js";
export { AwsCronError, renderAws } from "./render-aws.js";
export { renderVercel } from "./render-vercel.js";
export { cronFromSlug, cronKey, cronSlug } from "./slug.js";
