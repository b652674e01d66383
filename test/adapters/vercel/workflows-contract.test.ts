import { workflowContractSuite } from "../../contract/workflows/cases.js";
import { vercelEdgeWorkflowDriver } from "../../contract/workflows/vercel-driver.js";

// The workflow contract through the Vercel route handlers inside the edge-runtime sandbox: the workflow queue is
// the libSQL queue, delivered through the drain path.
workflowContractSuite("Vercel edge runtime (edge-runtime sandbox)", vercelEdgeWorkflowDriver);
