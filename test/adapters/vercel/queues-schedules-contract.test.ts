import { contractSuite } from "../../contract/cases.js";
import { vercelQueuesDriver } from "./support/queues-driver.js";

// The same cases again, with the shop's queues on Vercel Queues (sends over its HTTP API, push deliveries through
// @vercel/queue's handleCallback, acks and delayed retries back to the service) and its crons on Vercel Schedules
// (runs of the private schedule function).
contractSuite("Vercel Queues and Schedules (node runtime)", vercelQueuesDriver);
