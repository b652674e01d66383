import { workflowContractSuite } from "../../contract/workflows/cases.js";
import { lambdaWorkflowDriver } from "../../contract/workflows/lambda-driver.js";

// The workflow contract through toLambda(app): wake-ups go to SQS (the stand-in) and come back as SQS events.
workflowContractSuite("AWS Lambda (SQS events, EventBridge rule)", lambdaWorkflowDriver);
