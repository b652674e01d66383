import { runComparison } from "./lib/report.js";
import { localQueue } from "./queues/local.js";
import { workersWrapper } from "./queues/workers.js";

// Goal 5: the local durable queue end to end, batch vs per-message writes, and skiff's Workers queue wrapper.
await runComparison("5. Queues", async (out) => {
  await localQueue(out);
  await workersWrapper(out);
});
