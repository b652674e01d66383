import type { Server } from "node:http";
import { getTestServer } from "@google-cloud/functions-framework/testing";

/** One registered function served by the Functions Framework's own server (Express and its middleware) on 127.0.0.1. */
export interface FrameworkServer {
  readonly url: string;
  close(): Promise<void>;
}

/**
 * Serves the function registered as `name` with the framework's `getServer` (through `getTestServer`): the same
 * Express app, body parsers and CloudEvent handling `functions-framework --target=<name>` runs, on an ephemeral port.
 */
export async function serveFunction(name: string): Promise<FrameworkServer> {
  const server = getTestServer(name) as Server;
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return {
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}

/** What a Pub/Sub message becomes in an Eventarc CloudEvent. */
export interface PubSubEventInput {
  project?: string;
  topic: string;
  data: string;
  messageId: string;
  publishTime: Date;
  attributes?: Record<string, string>;
  deliveryAttempt?: number;
  subscription?: string;
}

/**
 * The `data` of a `google.cloud.pubsub.topic.v1.messagePublished` event as Eventarc sends it to Cloud Run functions
 * (https://cloud.google.com/eventarc/docs/cloudevents#pubsub, and the sample in
 * https://github.com/googleapis/google-cloudevents/blob/main/examples/binary/pubsub/MessagePublishedData-complex.json):
 * the message with camelCase and snake_case ids and times, and the subscription.
 */
function eventData(input: PubSubEventInput): Record<string, unknown> {
  const project = input.project ?? "test-project";
  const publishTime = input.publishTime.toISOString();
  return {
    message: {
      ...(input.attributes ? { attributes: input.attributes } : {}),
      data: Buffer.from(input.data, "utf8").toString("base64"),
      messageId: input.messageId,
      message_id: input.messageId,
      publishTime,
      publish_time: publishTime,
    },
    subscription:
      input.subscription ?? `projects/${project}/subscriptions/eventarc-us-central1-${input.topic}-sub-001`,
    ...(input.deliveryAttempt === undefined ? {} : { deliveryAttempt: input.deliveryAttempt }),
  };
}

/**
 * Posts a Pub/Sub CloudEvent to a CloudEvent function, in binary content mode (`ce-*` headers, the data as the body,
 * as Eventarc delivers) or structured mode (`application/cloudevents+json`, the whole event as the body).
 */
export async function postPubSubEvent(
  url: string,
  input: PubSubEventInput,
  mode: "binary" | "structured" = "binary",
): Promise<Response> {
  const project = input.project ?? "test-project";
  const attributes = {
    specversion: "1.0",
    id: input.messageId,
    source: `//pubsub.googleapis.com/projects/${project}/topics/${input.topic}`,
    type: "google.cloud.pubsub.topic.v1.messagePublished",
    time: input.publishTime.toISOString(),
  };
  const data = eventData(input);
  if (mode === "structured") {
    return fetch(url, {
      method: "POST",
      headers: { "content-type": "application/cloudevents+json" },
      body: JSON.stringify({ ...attributes, datacontenttype: "application/json", data }),
    });
  }
  const headers: Record<string, string> = { "content-type": "application/json" };
  for (const [key, value] of Object.entries(attributes)) headers[`ce-${key}`] = value;
  return fetch(url, { method: "POST", headers, body: JSON.stringify(data) });
}
