export { toGcp } from "./to-gcp.js";
export type { GcpOptions } from "./options.js";
export { cronMessageBody } from "./scheduled.js";
export { PUBSUB_EVENT_TYPE } from "./types.js";
export type {
  GcpCloudEvent,
  GcpEnv,
  GcpEventFunction,
  GcpFunctions,
  GcpHttpFunction,
  GcpHttpRequest,
  GcpHttpResponse,
  MessagePublishedData,
  PubsubMessage,
} from "./types.js";
