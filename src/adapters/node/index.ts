export { serve, type ServeOptions, type SkiffServer } from "./serve.js";
export { nodeDatabase } from "../../local/database.js";
