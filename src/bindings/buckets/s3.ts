import { AwsClient } from "aws4fetch";
import { ConfigError, SkiffError } from "../../errors.js";
import { bucketObject, unquoteEtag } from "./bucket.js";
import { parseListObjects, xmlElement } from "./s3-xml.js";
import type { BucketObjectInfo, BucketStore } from "./types.js";

/**
 * Where an S3 bucket is: its name and region, and for an S3-compatible service (MinIO, R2's S3 API) its
 * `endpoint`. Requests are path-style (`<endpoint>/<bucket>/<key>`) with a custom endpoint, since most of those
 * services serve no per-bucket host names, and virtual-hosted (`<bucket>.s3.<region>.amazonaws.com`) on AWS, as
 * AWS recommends; `pathStyle` overrides either.
 *
 * @example
 * ```ts
 * const minio: S3Location = { bucket: "uploads", region: "us-east-1", endpoint: "http://127.0.0.1:9000" };
 * const r2: S3Location = { bucket: "uploads", region: "auto", endpoint: "https://<account>.r2.cloudflarestorage.com" };
 * ```
 */
export interface S3Location {
  bucket: string;
  region: string;
  endpoint?: string;
  pathStyle?: boolean;
}

const stringIn = (env: Record<string, unknown>, name: string): string | undefined => {
  const value = env[name];
  return typeof value === "string" && value.trim() ? value.trim() : undefined;
};

// RFC 3986 encoding of each path segment, which SigV4 signs (encodeURIComponent leaves !'()* alone).
const encodeKey = (key: string) =>
  key
    .split("/")
    .map((s) =>
      encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`),
    )
    .join("/");

/**
 * A bucket on S3, or on any service with S3's API, signed with SigV4 by aws4fetch: credentials from the standard
 * environment (`AWS_ACCESS_KEY_ID`, `AWS_SECRET_ACCESS_KEY`, `AWS_SESSION_TOKEN`, which Lambda sets), read on the
 * first call. `list` returns no content type or metadata (ListObjectsV2 has none; `head` reads them), and `delete`
 * of several keys deletes them one request each, ten at a time (DeleteObjects needs a Content-MD5, which WebCrypto
 * cannot compute).
 *
 * @example
 * ```ts
 * const uploads = createBucket("uploads", () => s3Store({ bucket: "acme-uploads", region: "eu-west-1" }, process.env));
 * ```
 */
export function s3Store(location: S3Location, env: Record<string, unknown>): BucketStore {
  let aws: AwsClient | undefined;
  const client = () => {
    if (aws) return aws;
    const accessKeyId = stringIn(env, "AWS_ACCESS_KEY_ID");
    const secretAccessKey = stringIn(env, "AWS_SECRET_ACCESS_KEY");
    for (const [variable, value] of [
      ["AWS_ACCESS_KEY_ID", accessKeyId],
      ["AWS_SECRET_ACCESS_KEY", secretAccessKey],
    ] as const)
      if (!value)
        throw new ConfigError(
          `${variable} is not set: requests to bucket "${location.bucket}" are signed with it (Lambda sets it from the function's role)`,
          { variable },
        );
    aws = new AwsClient({
      accessKeyId: accessKeyId as string,
      secretAccessKey: secretAccessKey as string,
      sessionToken: stringIn(env, "AWS_SESSION_TOKEN"),
      service: "s3",
      region: location.region,
      retries: 3,
    });
    return aws;
  };
  const pathStyle = location.pathStyle ?? location.endpoint !== undefined;
  const base = (() => {
    const endpoint = new URL(location.endpoint ?? `https://s3.${location.region}.amazonaws.com`);
    const origin = endpoint.origin;
    return pathStyle
      ? `${origin}/${encodeURIComponent(location.bucket)}`
      : `${endpoint.protocol}//${location.bucket}.${endpoint.host}`;
  })();
  const url = (key: string) => `${base}/${encodeKey(key)}`;

  async function call(
    action: string,
    target: string,
    init: RequestInit,
    allow404 = false,
  ): Promise<Response | null> {
    const response = await client().fetch(target, {
      ...init,
      aws: { service: "s3", region: location.region },
    });
    if (response.ok) return response;
    const text = await response.text();
    const code = xmlElement(text, "Code") ?? `HTTP ${response.status}`;
    // A missing key is null; a missing bucket (also a 404, NoSuchBucket) is a configuration error. HEAD has no body.
    if (allow404 && response.status === 404 && (code === "NoSuchKey" || code === "HTTP 404")) return null;
    const message = xmlElement(text, "Message");
    throw new SkiffError(
      `S3 ${action} on bucket "${location.bucket}" failed: ${code}${message ? `: ${message}` : ""}`,
    );
  }

  const infoOf = (key: string, headers: Headers): BucketObjectInfo => {
    const metadata: Record<string, string> = {};
    headers.forEach((value, name) => {
      if (name.startsWith("x-amz-meta-")) metadata[name.slice("x-amz-meta-".length)] = value;
    });
    const modified = headers.get("last-modified");
    return {
      key,
      size: Number(headers.get("content-length") ?? 0),
      etag: unquoteEtag(headers.get("etag")),
      contentType: headers.get("content-type") ?? undefined,
      metadata,
      uploaded: modified ? new Date(modified) : new Date(),
    };
  };

  return {
    async put(key, body, options) {
      const headers: Record<string, string> = {};
      if (options.contentType) headers["content-type"] = options.contentType;
      for (const [name, value] of Object.entries(options.metadata ?? {}))
        headers[`x-amz-meta-${name}`] = value;
      const response = (await call("PutObject", url(key), {
        method: "PUT",
        headers,
        body: body as Uint8Array<ArrayBuffer>,
      })) as Response;
      await response.body?.cancel();
      return {
        key,
        size: body.byteLength,
        etag: unquoteEtag(response.headers.get("etag")),
        contentType: options.contentType,
        metadata: { ...options.metadata },
        uploaded: new Date(),
      };
    },
    async get(key) {
      const response = await call("GetObject", url(key), { method: "GET" }, true);
      return response && bucketObject(infoOf(key, response.headers), response.body);
    },
    async head(key) {
      const response = await call("HeadObject", url(key), { method: "HEAD" }, true);
      return response && infoOf(key, response.headers);
    },
    async delete(keys) {
      for (let i = 0; i < keys.length; i += 10)
        await Promise.all(
          keys.slice(i, i + 10).map(async (key) => {
            const response = await call("DeleteObject", url(key), { method: "DELETE" }, true);
            await response?.body?.cancel();
          }),
        );
    },
    async list({ prefix, cursor, limit }) {
      const query = new URLSearchParams({ "list-type": "2", "max-keys": String(limit) });
      if (prefix) query.set("prefix", prefix);
      if (cursor) query.set("continuation-token", cursor);
      const response = (await call("ListObjectsV2", `${base}/?${query}`, { method: "GET" })) as Response;
      const page = parseListObjects(await response.text());
      return {
        objects: page.objects.map((o) => ({
          key: o.key,
          size: o.size,
          etag: unquoteEtag(o.etag),
          contentType: undefined,
          metadata: {},
          uploaded: new Date(o.lastModified),
        })),
        truncated: page.truncated,
        cursor: page.truncated ? page.next : undefined,
      };
    },
  };
}
