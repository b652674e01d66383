// Pub/Sub's publish call over REST (https://cloud.google.com/pubsub/docs/reference/rest/v1/projects.topics/publish),
// on fetch only, with the access token of the runtime's service account. Used by the Pub/Sub transport.
import { ConfigError, SkiffError } from "../../../errors.js";

/**
 * One message as `topics.publish` takes it: `data` is base64, attributes are strings
 * (https://cloud.google.com/pubsub/docs/reference/rest/v1/PubsubMessage).
 *
 * @example
 * ```ts
 * const message: PubSubOutgoing = { data: btoa('{"orderId":"o1"}'), attributes: { "skiff-queue": "orders" } };
 * ```
 */
export interface PubSubOutgoing {
  data: string;
  attributes?: Record<string, string>;
}

/**
 * Where the client gets its settings: `env` (`PUBSUB_EMULATOR_HOST`, `GOOGLE_CLOUD_PROJECT`, `GCE_METADATA_HOST`),
 * and optional overrides. `accessToken` replaces the metadata server (a token from `gcloud auth print-access-token`
 * for a script, or your own token source).
 *
 * @example
 * ```ts
 * const options: PubSubClientOptions = { env: process.env, project: "shop-prod" };
 * ```
 */
export interface PubSubClientOptions {
  env: Record<string, unknown>;
  project?: string | undefined;
  accessToken?: (() => string | Promise<string>) | undefined;
  fetch?: typeof fetch | undefined;
}

const stringIn = (env: Record<string, unknown>, name: string): string | undefined => {
  const value = env[name];
  return typeof value === "string" && value.trim() ? value.trim() : undefined;
};

// The metadata server every Google runtime (Cloud Run, Cloud Run functions, GCE) serves; GCE_METADATA_HOST moves it,
// as in Google's own clients (https://cloud.google.com/compute/docs/metadata/querying-metadata).
const METADATA_HOST = "metadata.google.internal";
const PUBSUB_ENDPOINT = "https://pubsub.googleapis.com";
// A token is renewed this long before Google says it expires, so a publish never carries a token about to lapse.
const EARLY_RENEWAL_MS = 60_000;

/**
 * A minimal Pub/Sub publisher: the project from the option, `GOOGLE_CLOUD_PROJECT` (or `GCLOUD_PROJECT`), else the
 * metadata server; a bearer token from the option, else the metadata server (cached until a minute before it
 * expires). With `PUBSUB_EMULATOR_HOST` set, as Google's client libraries do, requests go to `http://<host>` with
 * no token (https://cloud.google.com/pubsub/docs/emulator#env).
 *
 * @example
 * ```ts
 * const client = new PubSubClient({ env: process.env });
 * await client.publish("orders", [{ data: btoa("{}") }]);
 * ```
 */
export class PubSubClient {
  readonly #options: PubSubClientOptions;
  #project: Promise<string> | undefined;
  #token: { value: string; until: number } | undefined;

  constructor(options: PubSubClientOptions) {
    this.#options = options;
  }

  get #fetch(): typeof fetch {
    return this.#options.fetch ?? fetch;
  }

  #metadataUrl(path: string): string {
    return `http://${stringIn(this.#options.env, "GCE_METADATA_HOST") ?? METADATA_HOST}/computeMetadata/v1/${path}`;
  }

  async #metadata(path: string, what: string): Promise<Response> {
    let response: Response;
    try {
      response = await this.#fetch(this.#metadataUrl(path), { headers: { "metadata-flavor": "Google" } });
    } catch (error) {
      throw new ConfigError(
        `${what}: the metadata server (${this.#metadataUrl(path)}) did not answer; outside Google Cloud set ${what === "project" ? "GOOGLE_CLOUD_PROJECT" : "PUBSUB_EMULATOR_HOST, or pass accessToken"}`,
        { variable: what === "project" ? "GOOGLE_CLOUD_PROJECT" : "PUBSUB_EMULATOR_HOST", cause: error },
      );
    }
    if (!response.ok) {
      throw new SkiffError(`the metadata server answered ${response.status} for ${path}`);
    }
    return response;
  }

  /** The project topics belong to. */
  project(): Promise<string> {
    this.#project ??= (async () => {
      const configured =
        this.#options.project ??
        stringIn(this.#options.env, "GOOGLE_CLOUD_PROJECT") ??
        stringIn(this.#options.env, "GCLOUD_PROJECT");
      if (configured) return configured;
      return (await (await this.#metadata("project/project-id", "project")).text()).trim();
    })();
    // A failed lookup is not cached: the next publish asks again.
    this.#project.catch(() => (this.#project = undefined));
    return this.#project;
  }

  async #authorization(): Promise<Record<string, string>> {
    if (stringIn(this.#options.env, "PUBSUB_EMULATOR_HOST")) return {};
    if (this.#options.accessToken) return { authorization: `Bearer ${await this.#options.accessToken()}` };
    if (!this.#token || Date.now() >= this.#token.until) {
      const response = await this.#metadata("instance/service-accounts/default/token", "access token");
      const body = (await response.json()) as { access_token?: string; expires_in?: number };
      if (typeof body.access_token !== "string" || !body.access_token)
        throw new SkiffError("the metadata server's token answer has no access_token");
      const lifetime = (typeof body.expires_in === "number" ? body.expires_in : 300) * 1000;
      this.#token = { value: body.access_token, until: Date.now() + lifetime - EARLY_RENEWAL_MS };
    }
    return { authorization: `Bearer ${this.#token.value}` };
  }

  #endpoint(): string {
    const emulator = stringIn(this.#options.env, "PUBSUB_EMULATOR_HOST");
    return emulator ? `http://${emulator}` : PUBSUB_ENDPOINT;
  }

  /**
   * Publishes `messages` to `topic` (a topic id, or `projects/<p>/topics/<t>`) in one request; resolves with the
   * message ids Pub/Sub assigned. An error answer throws a SkiffError with Google's status and message.
   */
  async publish(topic: string, messages: readonly PubSubOutgoing[]): Promise<string[]> {
    const name = topic.startsWith("projects/") ? topic : `projects/${await this.project()}/topics/${topic}`;
    const response = await this.#fetch(`${this.#endpoint()}/v1/${name}:publish`, {
      method: "POST",
      headers: { "content-type": "application/json", ...(await this.#authorization()) },
      body: JSON.stringify({ messages }),
    });
    const text = await response.text();
    let body: { messageIds?: unknown; error?: { status?: string; message?: string } } | undefined;
    try {
      body = text ? (JSON.parse(text) as typeof body) : {};
    } catch {
      body = undefined;
    }
    if (!response.ok || !body || !Array.isArray(body.messageIds)) {
      const status = body?.error?.status ?? `HTTP ${response.status}`;
      const detail = body?.error?.message ?? text.slice(0, 200);
      throw new SkiffError(`Pub/Sub publish to ${name} failed: ${status}${detail ? `: ${detail}` : ""}`);
    }
    return body.messageIds.map(String);
  }
}
