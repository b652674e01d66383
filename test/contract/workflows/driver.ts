import type { Database } from "skiff";

/** The internal queue every wake-up of every workflow travels on (an ordinary queue of the app's registry). */
export const WORKFLOW_QUEUE = "skiff-workflows";
/** The cron skiff registers to wake timers longer than the platform's longest queue delay. */
export const TIMER_CRON = "*/5 * * * *";

/**
 * One platform's way of driving the workflow contract app (`app.ts`): requests as the platform translates them,
 * cron firings as it fires them, and the workflow queue delivered through the platform's own queue path (the
 * libSQL queue drained on Node and Vercel, SQS events on Lambda, Miniflare's queues on workerd). The shared cases
 * in `cases.ts` run unchanged on top.
 */
export interface WorkflowDriver {
  /** The platform name the app reports (`c.var.platform`). */
  readonly platform: string;
  /** An HTTP request, translated as the platform would. */
  fetch(request: Request): Promise<Response>;
  /** A cron firing, as the platform would; rejects when the run failed. */
  fireCron(expression: string, scheduledTime: number): Promise<void>;
  /**
   * One round of delivery of the workflow queue: what is due now, in batches as the platform delivers them.
   * Resolves with how many messages were delivered, or `undefined` where the platform delivers by itself (workerd)
   * and the driver only gave it a moment.
   */
  pump(): Promise<number | undefined>;
  /** The app's database as another process sees it (the journal's timer table, for making a timer due). */
  readonly db: Database;
  /** Releases whatever the driver started. */
  close(): Promise<void>;
}
