import { findTargetHandler, isMiddleware } from "hono/utils/handler";
import { PatternRouter } from "hono/router/pattern-router";
import { cronKey, nextOccurrence } from "../../triggers/cron/index.js";
import type { ResolvedQueueOptions } from "../../triggers/types.js";
import type { SkiffApp } from "./load.js";

/**
 * One endpoint: method, path, the names of the middleware that run before it (in order) and of its handler.
 *
 * @example
 * ```ts
 * const route: RouteInfo = { method: "GET", path: "/api/users", middleware: ["requestId", "logger"], handler: "(anonymous)" };
 * ```
 */
export interface RouteInfo {
  method: string;
  path: string;
  middleware: string[];
  handler: string;
}

/**
 * A registered cron expression, how many handlers share it and its next run (ISO, UTC).
 *
 * @example
 * ```ts
 * const cron: CronInfo = { expression: "0 9 * * *", handlers: 1, next: "2026-01-02T09:00:00.000Z" };
 * ```
 */
export interface CronInfo {
  expression: string;
  handlers: number;
  next: string | null;
}

/**
 * A queue the app knows of: declared with a schema (so it has a producer), consumed (with resolved options), or
 * named only as another queue's dead-letter queue.
 *
 * @example
 * ```ts
 * const queue: QueueInfo = { name: "orders", declared: true, consumer: { kind: "message", options }, deadLetterFor: [] };
 * ```
 */
export interface QueueInfo {
  name: string;
  declared: boolean;
  consumer: { kind: "message" | "batch"; options: ConsumerOptions } | null;
  /** Queues whose `deadLetter` is this one. */
  deadLetterFor: string[];
}

/**
 * A consumer's resolved options, with `deadLetter: null` when it has none (so JSON output shows it).
 *
 * @example
 * ```ts
 * const options: ConsumerOptions = { maxRetries: 3, deadLetter: null, retryDelaySeconds: 0, maxBatchSize: 10, maxBatchTimeoutSeconds: 5, visibilityTimeoutSeconds: 30 };
 * ```
 */
export type ConsumerOptions = Omit<ResolvedQueueOptions, "deadLetter"> & { deadLetter: string | null };

/**
 * A workflow the app declares (`new Skiff({ workflows })`) and whether `app.workflow()` implements it.
 *
 * @example
 * ```ts
 * const workflow: WorkflowInfo = { name: "checkout", implemented: true };
 * ```
 */
export interface WorkflowInfo {
  name: string;
  implemented: boolean;
}

/**
 * Everything the CLI generates and checks platform config from: routes, crons, queues, workflows, and the
 * expression of the workflow timer cron (`null` while no workflow is implemented, since none is registered then).
 *
 * @example
 * ```ts
 * const manifest = describeApp(await loadApp(project));
 * manifest.crons.map((c) => c.expression) // ["0 9 * * *"]
 * ```
 */
export interface AppManifest {
  routes: RouteInfo[];
  crons: CronInfo[];
  queues: QueueInfo[];
  workflows: WorkflowInfo[];
  workflowTimerCron: string | null;
}

/**
 * Reads an app's routes (with the middleware that applies to each, matched with Hono's own pattern router), crons
 * (with their next run after `now`) and queues into an {@link AppManifest}.
 *
 * @example
 * ```ts
 * describeApp(app, new Date("2026-01-01T00:00:00Z")).crons[0]?.next // "2026-01-01T09:00:00.000Z"
 * ```
 */
export function describeApp(app: SkiffApp, now: Date = new Date()): AppManifest {
  return {
    routes: describeRoutes(app),
    crons: describeCrons(app, now),
    queues: describeQueues(app),
    workflows: describeWorkflows(app),
    workflowTimerCron: workflowTimerCronOf(app),
  };
}

/**
 * The workflows an app declares, each with whether it is implemented, then any implemented but not declared (an
 * app from another copy of skiff; the registry refuses those). Empty for an app without workflows, or one built
 * on a skiff that predates them.
 *
 * @example
 * ```ts
 * describeWorkflows(app) // [{ name: "checkout", implemented: true }, { name: "refund", implemented: false }]
 * ```
 */
export function describeWorkflows(app: SkiffApp): WorkflowInfo[] {
  const declared = [...(app.triggers.workflowSchemas?.keys() ?? [])];
  const implemented = new Set(app.triggers.workflows?.keys() ?? []);
  const names = [...new Set([...declared, ...implemented])];
  return names.map((name) => ({ name, implemented: implemented.has(name) }));
}

/**
 * The expression of the workflow timer cron as the app registered it (`new Skiff({ workflowTimers })`, default
 * every 5 minutes), or `null` when the app registered none (no workflow is implemented).
 *
 * @example
 * ```ts
 * workflowTimerCronOf(app) // "*\/5 * * * *"
 * ```
 */
export function workflowTimerCronOf(app: SkiffApp): string | null {
  const { workflowTimerCron: expression, workflows } = app.triggers;
  if (!expression || !workflows?.size) return null;
  // As the crons are keyed (and listed), so it compares equal to its CronInfo.expression.
  const key = cronKey(expression);
  return app.triggers.crons.has(key) ? key : null;
}

function nameOf(handler: (...args: never[]) => unknown): string {
  return handler.name || "(anonymous)";
}

function describeRoutes(app: SkiffApp): RouteInfo[] {
  const entries = app.routes.map((route, index) => {
    const target = findTargetHandler(route.handler as never) as (...args: never[]) => unknown;
    return {
      method: route.method,
      path: route.path,
      index,
      name: nameOf(target),
      middleware: isMiddleware(target as never),
    };
  });
  const router = new PatternRouter<number>();
  for (const e of entries) if (e.middleware) router.add(e.method, e.path, e.index);
  const endpoints = new Map<string, RouteInfo & { index: number }>();
  for (const e of entries) {
    if (e.middleware) continue;
    const key = `${e.method} ${e.path}`;
    if (endpoints.has(key)) continue; // a later handler for the same route only runs if the first calls next()
    // A concrete path this route answers, so Hono's router says which middleware patterns cover it.
    const sample = e.path.replace(/:[^/{]+(\{[^}]*\})?\??/g, "_").replace(/\*/g, "_");
    const middleware = router
      .match(e.method, sample)[0]
      .map(([index]) => index)
      .filter((index) => index < e.index) // middleware registered later never runs before this handler
      .sort((a, b) => a - b)
      .map((index) => entries[index]?.name ?? "(anonymous)");
    endpoints.set(key, { method: e.method, path: e.path, middleware, handler: e.name, index: e.index });
  }
  return [...endpoints.values()].map(({ index: _index, ...route }) => route);
}

function describeCrons(app: SkiffApp, now: Date): CronInfo[] {
  return [...app.triggers.crons].map(([expression, handlers]) => ({
    expression,
    handlers: handlers.length,
    next: safeNextRun(expression, now),
  }));
}

function describeQueues(app: SkiffApp): QueueInfo[] {
  const { schemas, queues } = app.triggers;
  const names = new Set<string>([...schemas.keys(), ...queues.keys()]);
  for (const consumer of queues.values())
    if (consumer.options.deadLetter) names.add(consumer.options.deadLetter);
  return [...names].map((name) => {
    const consumer = queues.get(name);
    return {
      name,
      declared: schemas.has(name),
      consumer: consumer
        ? {
            kind: consumer.kind,
            options: { ...consumer.options, deadLetter: consumer.options.deadLetter ?? null },
          }
        : null,
      deadLetterFor: [...queues.values()].filter((q) => q.options.deadLetter === name).map((q) => q.name),
    };
  });
}

// Registered expressions were validated by app.cron(); one that never fires (e.g. "0 0 30 2 *") has no next run.
function safeNextRun(expression: string, now: Date): string | null {
  const next = nextOccurrence(expression, now);
  return next === null ? null : new Date(next).toISOString();
}
