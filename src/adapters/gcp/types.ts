// The platform's shapes: the framework's HTTP request and response (Express objects; only what skiff reads and
// writes is named, so Express's own types assign), the Pub/Sub CloudEvent, and what toGcp returns.

/**
 * The CloudEvent type Pub/Sub triggers deliver (https://cloud.google.com/eventarc/docs/reference/supported-events#pubsub).
 *
 * @example
 * ```ts
 * event.type === PUBSUB_EVENT_TYPE
 * ```
 */
export const PUBSUB_EVENT_TYPE = "google.cloud.pubsub.topic.v1.messagePublished";

/**
 * Environment variables as Cloud Run functions expose them on `process.env` (`K_SERVICE`, `FUNCTION_TARGET`, ...,
 * https://cloud.google.com/run/docs/container-contract#env-vars) plus your own.
 *
 * @example
 * ```ts
 * const env: GcpEnv = { TURSO_DATABASE_URL: "libsql://shop-acme.turso.io", GOOGLE_CLOUD_PROJECT: "shop-prod" };
 * ```
 */
export type GcpEnv = Record<string, string | undefined>;

/**
 * The part of the framework's request (an Express request) that skiff reads. `rawBody` is the body as received:
 * the framework's body parsers consume the stream and keep the bytes there
 * (https://cloud.google.com/functions/docs/writing/write-http-functions#parse_http).
 *
 * @example
 * ```ts
 * const req: GcpHttpRequest = { method: "GET", originalUrl: "/api/users", headers: { host: "shop.run.app" } };
 * ```
 */
export interface GcpHttpRequest {
  readonly method: string;
  readonly originalUrl?: string;
  readonly url?: string;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly protocol?: string;
  readonly rawBody?: Uint8Array;
}

/**
 * The part of the framework's response (an Express response, a Node `ServerResponse`) that skiff writes.
 *
 * @example
 * ```ts
 * res.statusCode = 200; res.setHeader("content-type", "text/plain"); res.end("ok");
 * ```
 */
export interface GcpHttpResponse {
  statusCode: number;
  setHeader(name: string, value: string | readonly string[]): unknown;
  write(chunk: Uint8Array): boolean;
  end(chunk?: Uint8Array): unknown;
  once(event: "drain" | "close", listener: () => void): unknown;
  removeListener(event: "drain" | "close", listener: () => void): unknown;
  readonly destroyed?: boolean;
  readonly writableEnded?: boolean;
}

/**
 * A Pub/Sub message inside the CloudEvent (https://cloud.google.com/pubsub/docs/reference/rest/v1/PubsubMessage):
 * `data` is base64. The framework also accepts a push subscription's body directly and reshapes it to this.
 *
 * @example
 * ```ts
 * const message: PubsubMessage = { data: "eyJvcmRlcklkIjoibzEifQ==", messageId: "1", publishTime: "2026-01-02T09:00:00Z" };
 * ```
 */
export interface PubsubMessage {
  data?: string;
  attributes?: Record<string, string>;
  messageId?: string;
  message_id?: string;
  publishTime?: string;
  publish_time?: string;
  orderingKey?: string;
}

/**
 * The `data` of a `google.cloud.pubsub.topic.v1.messagePublished` CloudEvent: the message and the subscription
 * that delivered it (https://github.com/googleapis/google-cloudevents/blob/main/proto/google/events/cloud/pubsub/v1/data.proto).
 * `deliveryAttempt` is present only when the subscription has a dead-letter policy
 * (https://cloud.google.com/pubsub/docs/handling-failures#track-delivery-attempts).
 *
 * @example
 * ```ts
 * const data: MessagePublishedData = { message, subscription: "projects/shop/subscriptions/eventarc-orders", deliveryAttempt: 2 };
 * ```
 */
export interface MessagePublishedData {
  message?: PubsubMessage;
  subscription?: string;
  deliveryAttempt?: number;
}

/**
 * A CloudEvent as the framework hands it to a CloudEvent function, in binary or structured content mode alike
 * (https://github.com/cloudevents/spec/blob/main/cloudevents/spec.md). For Pub/Sub, `source` is
 * `//pubsub.googleapis.com/projects/<project>/topics/<topic>`.
 *
 * @example
 * ```ts
 * const event: GcpCloudEvent = { specversion: "1.0", id: "1", type: "google.cloud.pubsub.topic.v1.messagePublished",
 *   source: "//pubsub.googleapis.com/projects/shop/topics/orders", data };
 * ```
 */
export interface GcpCloudEvent {
  readonly specversion?: string;
  readonly id: string;
  readonly type: string;
  readonly source: string;
  readonly time?: string;
  readonly data?: unknown;
}

/**
 * An HTTP function as the framework calls it (`functions.http(name, fn)`).
 *
 * @example
 * ```ts
 * const fn: GcpHttpFunction = toGcp(app).http;
 * ```
 */
export type GcpHttpFunction = (req: GcpHttpRequest, res: GcpHttpResponse) => Promise<void>;

/**
 * A CloudEvent function as the framework calls it (`functions.cloudEvent(name, fn)`): it resolves to ack and
 * rejects to have the event retried (with retries enabled on the trigger).
 *
 * @example
 * ```ts
 * const fn: GcpEventFunction = toGcp(app).event;
 * ```
 */
export type GcpEventFunction = (event: GcpCloudEvent) => Promise<void>;

/**
 * What {@link toGcp} returns: the two functions it registered with the framework and their names (deploy each with
 * `--entry-point <name>`; empty with `functions: false`, when nothing was registered).
 *
 * @example
 * ```ts
 * const { names } = toGcp(app); // { http: "skiff", event: "skiffEvent" }
 * ```
 */
export interface GcpFunctions {
  readonly http: GcpHttpFunction;
  readonly event: GcpEventFunction;
  readonly names: { readonly http: string; readonly event: string };
}
