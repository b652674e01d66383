import { contractSuite } from "../../contract/cases.js";
import { edgeVercelDriver, nodeVercelDriver } from "./support/drivers.js";

// The same cases as every adapter: the Vercel route handlers inside Vercel's edge-runtime sandbox (bundled for the
// edge, no `process`, no `require`), and the same handlers imported directly under Node.
contractSuite("Vercel edge runtime (edge-runtime sandbox)", edgeVercelDriver);
contractSuite("Vercel node runtime", nodeVercelDriver);
