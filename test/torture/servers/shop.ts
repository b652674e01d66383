import { serve } from "skiff/node";
import { app } from "../../../examples/shop/app.js";
import { DEV_API_KEY_SHA256 } from "../../../examples/shop/auth.js";

// The shop as `npm start` runs it, on a database file shared with other processes of the same suite.
const url = process.env.TORTURE_DB_URL;
if (!url) throw new Error("TORTURE_DB_URL is not set");
const server = await serve(app, {
  port: 0,
  env: { SHOP_API_KEY_SHA256: DEV_API_KEY_SHA256, NODE_ENV: "development" },
  database: { url },
  scheduler: false,
  queues: false,
});
process.stdout.write(`ready ${server.port}\n`);
