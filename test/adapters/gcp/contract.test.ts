import { contractSuite } from "../../contract/cases.js";
import { gcpDriver } from "./support/driver.js";

// The same cases as every adapter, through the Functions Framework's real servers: an HTTP function, and a
// CloudEvent function fed Eventarc's Pub/Sub events for the queues and Cloud Scheduler's cron topic.
contractSuite("Cloud Run functions (Functions Framework)", gcpDriver);
