import { contractSuite } from "../../contract/cases.js";
import { azureDriver } from "./support/driver.js";

// The shared contract through toAzure(app), registered with the real @azure/functions: HTTP through the catch-all
// function, the report cron through its timer, orders through the Storage queue trigger, producers on Azurite.
contractSuite("Azure Functions (v4 model, Storage queues on Azurite)", azureDriver);
