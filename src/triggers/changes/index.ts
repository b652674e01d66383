export { dropChangeTriggers } from "./triggers.js";
export type { ChangeEvent, ChangeHandler, ChangeKey, ChangeOperation, ChangeOptions } from "./types.js";
