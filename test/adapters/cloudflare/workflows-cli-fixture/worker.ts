import { toCloudflare } from "skiff/cloudflare";
import { cloudflareWorkflows } from "../../../../src/adapters/cloudflare/workflows.js";
import { app } from "./app.js";

const worker = toCloudflare(app, { workflows: { engine: "cloudflare" } });
export default worker;
export const { CheckoutWorkflow, OrderReportWorkflow } = cloudflareWorkflows(worker);
