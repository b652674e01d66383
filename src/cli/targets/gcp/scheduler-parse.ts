/**
 * @internal One `gcloud scheduler jobs create pubsub` command of a script, as far as skiff reads it.
 *
 * @example
 * ```ts
 * const job: SchedulerJob = { cron: "0 9 * * *", schedule: "0 9 * * *", timeZone: "Etc/UTC" };
 * ```
 */
export interface SchedulerJob {
  cron: string;
  schedule: string | undefined;
  timeZone: string | undefined;
}

// A flag's value: single-quoted (as skiff writes it), double-quoted, or bare.
function flag(command: string, name: string): string | undefined {
  const match = new RegExp(`--${name}(?:=|\\s+)(?:'([^']*)'|"([^"]*)"|(\\S+))`).exec(command);
  return match ? (match[1] ?? match[2] ?? match[3]) : undefined;
}

/**
 * @internal The jobs of a scheduler script: each `gcloud scheduler jobs create pubsub` command (continued lines
 * joined) whose `--message-body` is `{"cron": ...}`.
 *
 * @example
 * ```ts
 * cronFromJobMessage(`gcloud scheduler jobs create pubsub j --schedule='0 9 * * *' --time-zone=Etc/UTC --message-body='{"cron":"0 9 * * *"}'`)
 * // [{ cron: "0 9 * * *", schedule: "0 9 * * *", timeZone: "Etc/UTC" }]
 * ```
 */
export function cronFromJobMessage(script: string): SchedulerJob[] {
  const commands = script.replace(/\\\r?\n/g, " ").split(/\r?\n/);
  const jobs: SchedulerJob[] = [];
  for (const command of commands) {
    if (!/gcloud\s+(?:beta\s+)?scheduler\s+jobs\s+(?:create|update)\s+pubsub/.test(command)) continue;
    const body = flag(command, "message-body");
    let cron: unknown;
    try {
      cron = body === undefined ? undefined : (JSON.parse(body) as { cron?: unknown }).cron;
    } catch {
      cron = undefined;
    }
    if (typeof cron !== "string") continue;
    jobs.push({ cron, schedule: flag(command, "schedule"), timeZone: flag(command, "time-zone") });
  }
  return jobs;
}
