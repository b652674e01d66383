import { toLambda } from "skiff/lambda";
import { app } from "./app.js";

// AWS Lambda: one function for API Gateway, Function URLs, ALB, the SQS queues and the EventBridge schedules.
// Configuration comes from the function's environment: TURSO_DATABASE_URL (and TURSO_AUTH_TOKEN),
// SKIFF_QUEUE_URL_ORDERS and SKIFF_QUEUE_URL_ORDERS_DLQ. See docs/lambda.md.
export const handler = toLambda(app);
