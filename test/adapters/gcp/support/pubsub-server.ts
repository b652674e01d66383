import { createServer, type IncomingMessage, type Server } from "node:http";

/** One publish request as the stand-in received it. */
export interface PublishCall {
  path: string;
  project: string;
  topic: string;
  authorization: string | undefined;
  messages: Array<{ data: string; attributes?: Record<string, string> }>;
}

/**
 * What Pub/Sub's REST API and the metadata server answer, on 127.0.0.1 (the Java emulator does not run here):
 * `POST /v1/projects/{p}/topics/{t}:publish` checked against the documented request
 * (https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.topics/publish: `messages[]`, each with base64
 * `data` and/or string `attributes`, not both empty) and answered `{ messageIds }`, or Google's error shape; and the
 * metadata server's token and project id, which require `Metadata-Flavor: Google`.
 */
export interface PubSubStandIn {
  readonly host: string;
  readonly calls: PublishCall[];
  tokenRequests: number;
  /** Bodies published to `topic` (decoded, parsed JSON), oldest first. */
  bodies(topic: string): unknown[];
  /** Topics that answer this status with Google's error shape. */
  failing: Map<string, number>;
  close(): Promise<void>;
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;

function read(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on("data", (c: Buffer) => chunks.push(c));
    req.on("end", () => resolve(Buffer.concat(chunks).toString("utf8")));
    req.on("error", reject);
  });
}

function invalid(message: string) {
  return { status: 400, body: { error: { code: 400, message, status: "INVALID_ARGUMENT" } } };
}

function checkPublish(text: string): { status: number; body: unknown; messages?: PublishCall["messages"] } {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return invalid("Invalid JSON payload received.");
  }
  const messages = (parsed as { messages?: unknown }).messages;
  if (!Array.isArray(messages) || messages.length === 0) return invalid("The request contains no messages.");
  if (messages.length > 1000) return invalid("Too many messages in the request.");
  for (const m of messages as Array<Record<string, unknown>>) {
    for (const key of Object.keys(m))
      if (!["data", "attributes", "orderingKey"].includes(key)) return invalid(`Unknown name "${key}"`);
    const data = m.data;
    if (data !== undefined && (typeof data !== "string" || data.length % 4 !== 0 || !BASE64.test(data)))
      return invalid("Invalid value at 'messages[0].data' (TYPE_BYTES), Base64 decoding failed");
    const attributes = m.attributes;
    if (attributes !== undefined) {
      if (typeof attributes !== "object" || attributes === null) return invalid("attributes must be a map");
      for (const v of Object.values(attributes))
        if (typeof v !== "string") return invalid("attribute values must be strings");
    }
    if (!data && (!attributes || Object.keys(attributes).length === 0))
      return invalid("Some messages contain no data and no attribute.");
  }
  return { status: 200, body: {}, messages: messages as PublishCall["messages"] };
}

/** Starts the stand-in on 127.0.0.1 and an ephemeral port. */
export async function startPubSubStandIn(): Promise<PubSubStandIn> {
  const calls: PublishCall[] = [];
  const failing = new Map<string, number>();
  let ids = 0;
  const standIn = { calls, failing, tokenRequests: 0 } as PubSubStandIn & { tokenRequests: number };
  const server: Server = createServer(async (req, res) => {
    const send = (status: number, body: unknown, type = "application/json") => {
      res.writeHead(status, { "content-type": type });
      res.end(typeof body === "string" ? body : JSON.stringify(body));
    };
    const url = new URL(req.url ?? "/", "http://127.0.0.1");
    const text = await read(req);
    if (url.pathname.startsWith("/computeMetadata/v1/")) {
      if (req.headers["metadata-flavor"] !== "Google")
        return send(403, "Missing Metadata-Flavor:Google header.", "text/html");
      if (url.pathname === "/computeMetadata/v1/project/project-id")
        return send(200, "meta-project", "application/text");
      if (url.pathname === "/computeMetadata/v1/instance/service-accounts/default/token") {
        standIn.tokenRequests++;
        return send(200, {
          access_token: `ya29.token-${standIn.tokenRequests}`,
          expires_in: 3599,
          token_type: "Bearer",
        });
      }
      return send(404, "not found", "text/html");
    }
    const match = /^\/v1\/projects\/([^/]+)\/topics\/([^/:]+):publish$/.exec(url.pathname);
    if (req.method !== "POST" || !match)
      return send(404, { error: { code: 404, message: "Not found", status: "NOT_FOUND" } });
    const [, project = "", topic = ""] = match;
    const status = failing.get(topic);
    if (status)
      return send(status, {
        error: { code: status, message: `Resource not found (resource=${topic}).`, status: "NOT_FOUND" },
      });
    if (!String(req.headers["content-type"]).startsWith("application/json"))
      return send(400, invalid("content-type").body);
    const checked = checkPublish(text);
    if (!checked.messages) return send(checked.status, checked.body);
    calls.push({
      path: url.pathname,
      project,
      topic,
      authorization: req.headers.authorization,
      messages: checked.messages,
    });
    send(200, { messageIds: checked.messages.map(() => String(++ids)) });
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as { port: number };
  return Object.assign(standIn, {
    host: `127.0.0.1:${port}`,
    bodies: (topic: string) =>
      calls
        .filter((c) => c.topic === topic)
        .flatMap((c) =>
          c.messages.map((m) => JSON.parse(Buffer.from(m.data, "base64").toString("utf8")) as unknown),
        ),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  });
}
