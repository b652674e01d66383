export { isWellFormedRequestId, requestId } from "./request-id.js";
export type { RequestIdOptions, RequestIdVariables } from "./request-id.js";
