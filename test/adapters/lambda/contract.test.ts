import { contractSuite } from "../../contract/cases.js";
import { lambdaDriver } from "./support/driver.js";

// The shared contract through toLambda(app), once per HTTP source. Schedules alternate between the two forms
// EventBridge can invoke a function with: a rule's Scheduled Event and a Scheduler (or rule target) input.
contractSuite("AWS Lambda (API Gateway REST, rule schedules)", () => lambdaDriver("apigw-v1", "rule"));
contractSuite("AWS Lambda (HTTP API / Function URL v2, Scheduler input)", () =>
  lambdaDriver("apigw-v2", "scheduler"),
);
contractSuite("AWS Lambda (ALB, rule schedules)", () => lambdaDriver("alb", "rule"));
