import { workflowContractSuite } from "../../contract/workflows/cases.js";
import { gcpWorkflowDriver } from "./support/workflow-driver.js";

// The workflow contract through toGcp(app): wake-ups are published to Pub/Sub (the stand-in) and come back as
// Eventarc CloudEvents to the event function; the timer cron as Cloud Scheduler's message on the cron topic. Pub/Sub
// pushes one message per delivery, so a fan-out of 100 keeps the suite within CI's time (the 1,000-way case runs on
// Node, workerd, edge-runtime and Lambda).
workflowContractSuite("Cloud Run functions (Pub/Sub CloudEvents, Cloud Scheduler)", gcpWorkflowDriver, {
  fanOut: 100,
});
