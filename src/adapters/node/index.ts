export { serve } from "./to-node.js";
export { defaultDatabaseUrl, findProjectDir, resolveListen, type ServeOptions } from "./options.js";
export type { SkiffServer } from "./types.js";
export { nodeDatabase } from "./database.js";
