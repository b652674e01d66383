// Regenerates ./vercel.json from the app's crons and queue consumers:
//   node --conditions=skiff-source --import tsx examples/shop/vercel/generate.ts
// test/vercel-config.test.ts fails when the committed file has drifted from the app.
import { writeVercelJson } from "../../../src/cli/targets/vercel/vercel-json.js";
import { app } from "../app.js";

const config = await writeVercelJson(app, new URL("./vercel.json", import.meta.url), { basePath: "/api" });
console.log(JSON.stringify(config.crons));
