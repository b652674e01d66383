// The shop as a Next.js App Router route handler on Vercel's edge runtime. Every request under /api reaches it,
// including the cron and queue paths listed in ../../../vercel.json. Copy this folder into a Next.js project and
// point the import below at your app (here, the shared example app).
import { toVercel } from "skiff/vercel";
import { app } from "../../../../app.js";

// Route segment config must be a literal: https://nextjs.org/docs/app/api-reference/file-conventions/route-segment-config
export const runtime = "edge";
// Never cache: every response depends on the database.
export const dynamic = "force-dynamic";

export const { GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS } = toVercel(app, {
  basePath: "/api",
  // Each variable read as `process.env.NAME`: Next.js gives edge code the variables it sees referenced this way.
  // A function, so nothing is read before the first request.
  env: () => ({
    TURSO_DATABASE_URL: process.env.TURSO_DATABASE_URL,
    TURSO_AUTH_TOKEN: process.env.TURSO_AUTH_TOKEN,
    CRON_SECRET: process.env.CRON_SECRET,
    VERCEL_ENV: process.env.VERCEL_ENV,
    SHOP_API_KEY_SHA256: process.env.SHOP_API_KEY_SHA256,
  }),
});
