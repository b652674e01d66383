import { serve } from "skiff/node";
import { app } from "./app.js";

// `npm start`: the shop on http://localhost:8787 with a libSQL file in .skiff/, the local queue and the scheduler.
const started = performance.now();
const server = await serve(app, { port: Number(process.env.PORT ?? 8787) });
console.log(
  JSON.stringify({
    msg: `skiff shop listening on ${server.url}`,
    startupMs: Math.round(performance.now() - started),
    crons: server.nextRuns().map((r) => ({ cron: r.cron, next: r.next?.toISOString() })),
    queues: [...app.triggers.queues.keys()],
  }),
);
