import { workflowContractSuite } from "../../contract/workflows/cases.js";
import { workerdWorkflowDriver } from "../../contract/workflows/workerd-driver.js";

// The workflow contract in workerd (Miniflare, run from this Node test): wake-ups travel on Miniflare's real queue.
workflowContractSuite("Cloudflare Workers (workerd via Miniflare, real queues)", workerdWorkflowDriver);
