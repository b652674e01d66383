export { serve, type ServeOptions, type SkiffServer } from "./serve.js";
export { defaultDatabaseUrl, findProjectDir, resolveListen } from "./options.js";
export { nodeDatabase } from "./database.js";
