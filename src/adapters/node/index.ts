export { serve } from "./to-node.js";
export { defaultDatabaseUrl, findProjectDir, type ServeOptions } from "./options.js";
export { resolveListen } from "../../local-server.js";
export type { SkiffServer } from "./types.js";
export { nodeDatabase } from "./database.js";
