import { workflowContractSuite } from "../../contract/workflows/cases.js";
import { netlifyWorkflowDriver } from "./support/workflow-driver.js";

// The workflow contract through the Netlify functions: the workflow queue is the libSQL queue, delivered by the
// drain function; the timer cron is a scheduled function like any other.
workflowContractSuite("Netlify Functions (in-process)", netlifyWorkflowDriver);
