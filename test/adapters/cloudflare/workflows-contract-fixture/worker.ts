// The workflow contract app as a Worker, bundled by test/adapters/cloudflare/workflows-contract.test.ts and run in
// Miniflare. Bindings use toCloudflare's defaults: KV, and SKIFF_WORKFLOWS for the skiff-workflows queue.
import { toCloudflare } from "skiff/cloudflare";
import { app } from "../../../contract/workflows/app.js";

export default toCloudflare(app);
