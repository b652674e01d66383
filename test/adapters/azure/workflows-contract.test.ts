import { workflowContractSuite } from "../../contract/workflows/cases.js";
import { azureWorkflowDriver } from "./support/workflow-driver.js";

// The workflow contract through toAzure(app): wake-ups go to a real Azurite Storage queue and come back through the
// queue trigger as the host delivers them. A fan-out of 100 keeps one HTTP round trip per message affordable.
workflowContractSuite("Azure Functions (Storage queue on Azurite)", azureWorkflowDriver, { fanOut: 100 });
