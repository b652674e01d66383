import { toAzure } from "skiff/azure";
import { app } from "./app.js";

// `skiff build --target azure`, then `func azure functionapp publish <app>` from .skiff/build/azure: the shop on
// Azure Functions (v4 Node model). HTTP through one catch-all function, the daily report and the workflow timer
// through timer triggers, the orders queues on Azure Storage Queues (AzureWebJobsStorage), the database on Turso
// (TURSO_DATABASE_URL, TURSO_AUTH_TOKEN in the app's Application settings).
toAzure(app);
