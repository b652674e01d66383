// Bundled by the Vercel workflow contract test and evaluated inside the edge-runtime sandbox. The test sets
// globalThis.__skiffTestEnv before this code runs.
import { toVercel } from "skiff/vercel";
import { app } from "./app.js";

export const handlers = toVercel(app, {
  basePath: "/api",
  env: () => ({ ...(globalThis as { __skiffTestEnv?: Record<string, string> }).__skiffTestEnv }),
  // The test delivers the workflow queue itself, through the drain path, when it pumps.
  drainOnRequest: false,
});
