import { Skiff } from "skiff";
import { toCloudflare } from "skiff/cloudflare";
import { thumbnails } from "../../../../examples/shop/thumbnails.js";

interface Env {
  SKIFF_STORAGE_UPLOADS: { send(body: unknown): Promise<void> };
}

const app = new Skiff().route("/", thumbnails);
// Miniflare does not emit R2 event notifications; this route sends the message R2 would send to the queue the
// generated `wrangler r2 bucket notification create` rule names, through the same Queue binding type.
app.post("/__r2-notify", async (c) => {
  await (c.env as unknown as Env).SKIFF_STORAGE_UPLOADS.send(await c.req.json());
  return c.body(null, 204);
});

export default toCloudflare(app);
