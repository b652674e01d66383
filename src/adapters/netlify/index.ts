export { toNetlify } from "./to-netlify.js";
export type { NetlifyOptions } from "./options.js";
export type {
  NetlifyClientFactory,
  NetlifyContext,
  NetlifyEnv,
  NetlifyFunctions,
  NetlifyGeo,
  NetlifyHandler,
} from "./types.js";
