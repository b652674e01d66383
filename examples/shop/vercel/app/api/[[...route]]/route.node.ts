// The same route on Vercel's node runtime (what Vercel now recommends): rename this file to route.ts, replacing the
// edge one. Next.js ignores it under this name. The Node libSQL client is passed in here, so it never reaches the
// edge bundle of route.ts.
import { createClient } from "@libsql/client";
import { toVercel } from "skiff/vercel";
import { app } from "../../../../app.js";

export const runtime = "nodejs";
export const dynamic = "force-dynamic";

// On node, the env is process.env (the default) and the client also opens file: and libsql:// (WebSocket) URLs.
export const { GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS } = toVercel(app, {
  basePath: "/api",
  createClient,
});
