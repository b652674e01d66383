import { workflowContractSuite } from "../../contract/workflows/cases.js";
import { vercelQueuesWorkflowDriver } from "./support/queues-workflow-driver.js";

// The workflow contract with its wake-ups on Vercel Queues (pushed through @vercel/queue's handleCallback, one
// message per callback) and its timer cron on Vercel Schedules: workflows ride on the queue and the cron, so nothing
// else changes. Each fan-out child is its own push delivery, as on Azure and Pub/Sub: a fan-out of 100 keeps the
// suite within CI's time (the 1,000-way case runs on Node, workerd, edge-runtime and Lambda).
workflowContractSuite("Vercel Queues and Schedules (node runtime)", vercelQueuesWorkflowDriver, {
  fanOut: 100,
});
