export { serve } from "./to-bun.js";
export {
  bunDefaultDatabaseUrl,
  findBunProjectDir,
  resolveBunOptions,
  type BunServeOptions,
} from "./options.js";
export type { BunApi, BunHttpServer, SkiffBunServer } from "./types.js";
export { bunDatabase } from "./runtime.js";
