import { workflowContractSuite } from "../../contract/workflows/cases.js";
import { nodeWorkflowDriver } from "../../contract/workflows/node-driver.js";

// The workflow contract through serve(app): the workflow queue is the durable libSQL queue, drained in batches.
workflowContractSuite("Node (serve, libSQL queue)", nodeWorkflowDriver);
