import { readFileSync } from "node:fs";
import { join } from "node:path";
import type { TargetInput } from "../types.js";
import { CRON_TOPIC, EVENT_ENTRY, HTTP_ENTRY, queueFunctionName } from "./scripts.js";

// https://cloud.google.com/run/docs/reference/rest/v1/namespaces.services: lowercase letters, digits and "-", from a
// letter, at most 63 characters (Cloud Run functions are Cloud Run services).
const sanitize = (name: string): string =>
  name
    .toLowerCase()
    .replace(/^@[^/]+\//, "")
    .replace(/[^a-z0-9-]+/g, "-")
    .replace(/^[^a-z]+|-+$/g, "")
    .slice(0, 40) || "skiff";

/**
 * @internal The prefix of the function names: the project's package name, made a Cloud Run service name.
 *
 * @example
 * ```ts
 * functionPrefix(input) // "shop"
 * ```
 */
export function functionPrefix(input: TargetInput): string {
  try {
    const pkg = JSON.parse(readFileSync(join(input.project.root, "package.json"), "utf8")) as {
      name?: unknown;
    };
    return typeof pkg.name === "string" ? sanitize(pkg.name) : "skiff";
  } catch {
    return "skiff";
  }
}

/**
 * @internal One `gcloud functions deploy` per function (the HTTP function, then one per consumed queue and one for
 * the cron topic), in the order to run them, and the scripts after.
 *
 * @example
 * ```ts
 * deployNotes(input, ".skiff/build/gcp", "shop")
 * ```
 */
export function deployNotes(input: TargetInput, dir: string, prefix: string): string[] {
  const env = [
    "NODE_ENV=production",
    "TURSO_DATABASE_URL=<libsql://...>",
    ...input.project.env.filter((v) => !v.secret).map((v) => `${v.name}=<...>`),
  ];
  const secrets = ["TURSO_AUTH_TOKEN", ...input.project.env.filter((v) => v.secret).map((v) => v.name)];
  const common = `--gen2 --runtime=nodejs22 --region=$REGION --source=${dir} --set-env-vars=${env.join(",")} --set-secrets=${secrets.map((s) => `${s}=${s}:latest`).join(",")}`;
  const consumed = input.manifest.queues.filter((q) => q.consumer);
  const notes = [
    `deploy the HTTP function: gcloud functions deploy ${prefix} ${common} --entry-point=${HTTP_ENTRY} --trigger-http --allow-unauthenticated`,
  ];
  for (const queue of consumed)
    notes.push(
      `deploy queue "${queue.name}": gcloud pubsub topics create ${queue.name}; gcloud functions deploy ${queueFunctionName(prefix, queue.name)} ${common} --entry-point=${EVENT_ENTRY} --trigger-topic=${queue.name} --retry --no-allow-unauthenticated`,
    );
  if (input.manifest.crons.length > 0)
    notes.push(
      `deploy the crons: gcloud functions deploy ${prefix}-cron ${common} --entry-point=${EVENT_ENTRY} --trigger-topic=${CRON_TOPIC} --retry --no-allow-unauthenticated; then PROJECT=<id> REGION=<region> ${dir}/scheduler.sh`,
    );
  if (consumed.length > 0)
    notes.push(
      `then give each queue its dead-letter and retry policy: PROJECT=<id> REGION=<region> ${dir}/subscriptions.sh`,
    );
  notes.push(
    `queues publish to the topic of their own name and crons go to "${CRON_TOPIC}"; if toGcp() maps other topics or names its functions otherwise, change these commands to match`,
  );
  return notes;
}
