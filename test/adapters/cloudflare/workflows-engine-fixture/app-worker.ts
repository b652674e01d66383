// The workflow contract app (test/contract/workflows/app.ts), unchanged, as a Worker whose workflows run on
// Cloudflare Workflows: what a user writes with `engine: "cloudflare"`. Bundled and run in Miniflare by
// test/adapters/cloudflare/workflows-app.test.ts.
import { toCloudflare } from "skiff/cloudflare";
import { cloudflareWorkflows } from "../../../../src/adapters/cloudflare/workflows.js";
import { app } from "../../../contract/workflows/app.js";

const worker = toCloudflare(app, { workflows: { engine: "cloudflare" } });
export default worker;
export const { ChainWorkflow, SagaWorkflow, FanoutWorkflow } = cloudflareWorkflows(worker);
