import { toGcp } from "skiff/gcp";
import { app } from "./app.js";

// `skiff build --target gcp`, then the `gcloud functions deploy` lines it prints: the shop on Cloud Run functions.
// HTTP through the `skiff` function; the orders queues and the daily report through the `skiffEvent` function,
// deployed once per Pub/Sub topic (Cloud Scheduler publishes the cron to `skiff-cron`); the database on Turso
// (TURSO_DATABASE_URL, TURSO_AUTH_TOKEN); producers publish to Pub/Sub with the function's service account.
toGcp(app);
