import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { AwsV4Signer } from "aws4fetch";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createBucket } from "../../../src/bindings/buckets/bucket.js";
import { s3Store } from "../../../src/bindings/buckets/s3.js";
import type { Bucket } from "../../../src/bindings/buckets/types.js";

// S3 cannot run here: a stand-in on 127.0.0.1 speaks the five S3 REST calls skiff makes (path-style, as MinIO and
// R2's S3 API serve them) and verifies every request's SigV4 signature by signing it again, so a badly signed
// request fails the test. Its answers follow the S3 API reference (ETag quoted, x-amz-meta-*, ListObjectsV2 XML).
const CREDENTIALS = {
  AWS_ACCESS_KEY_ID: "AKIDS3TEST",
  AWS_SECRET_ACCESS_KEY: "s3-secret",
  AWS_SESSION_TOKEN: "tok",
};
const objects = new Map<string, { body: Buffer; headers: Record<string, string> }>();
const badSignatures: string[] = [];
let origin: string;
let server: ReturnType<typeof createServer>;

async function verify(req: IncomingMessage, body: Buffer): Promise<boolean> {
  const authorization = req.headers.authorization ?? "";
  const signed = /SignedHeaders=([^,]+)/.exec(authorization)?.[1]?.split(";") ?? [];
  const headers: Record<string, string> = {};
  for (const name of signed) if (name !== "host") headers[name] = String(req.headers[name] ?? "");
  const signer = new AwsV4Signer({
    method: req.method ?? "GET",
    url: `http://${req.headers.host}${req.url ?? "/"}`,
    headers,
    body: body.byteLength ? (new Uint8Array(body) as Uint8Array<ArrayBuffer>) : undefined,
    accessKeyId: CREDENTIALS.AWS_ACCESS_KEY_ID,
    secretAccessKey: CREDENTIALS.AWS_SECRET_ACCESS_KEY,
    sessionToken: CREDENTIALS.AWS_SESSION_TOKEN,
    service: "s3",
    region: "us-east-1",
    datetime: headers["x-amz-date"],
  });
  const ok = (await signer.sign()).headers.get("authorization") === authorization;
  if (!ok) badSignatures.push(`${req.method} ${req.url}`);
  return ok;
}

const xml = (s: string) => s.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

async function handle(req: IncomingMessage, res: ServerResponse) {
  const chunks: Buffer[] = [];
  for await (const chunk of req) chunks.push(chunk as Buffer);
  const body = Buffer.concat(chunks);
  if (!(await verify(req, body))) {
    res.writeHead(403, { "content-type": "application/xml" });
    return res.end("<Error><Code>SignatureDoesNotMatch</Code><Message>bad signature</Message></Error>");
  }
  const url = new URL(req.url ?? "/", "http://x");
  const [, bucket, ...rest] = url.pathname.split("/");
  const key = decodeURIComponent(rest.join("/"));
  if (bucket !== "uploads") {
    res.writeHead(404, { "content-type": "application/xml" });
    return res.end(
      "<Error><Code>NoSuchBucket</Code><Message>The specified bucket does not exist</Message></Error>",
    );
  }
  if (req.method === "GET" && !key) {
    const prefix = url.searchParams.get("prefix") ?? "";
    const max = Number(url.searchParams.get("max-keys") ?? 1000);
    const after = url.searchParams.get("continuation-token") ?? "";
    const keys = [...objects.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
    const page = keys.slice(0, max);
    const truncated = keys.length > max;
    res.writeHead(200, { "content-type": "application/xml" });
    return res.end(
      `<?xml version="1.0" encoding="UTF-8"?><ListBucketResult><Name>uploads</Name><KeyCount>${page.length}</KeyCount><IsTruncated>${truncated}</IsTruncated>${page
        .map(
          (k) =>
            `<Contents><Key>${xml(k)}</Key><LastModified>2026-03-01T10:00:00.000Z</LastModified><ETag>&quot;${objects.get(k)?.headers.etag}&quot;</ETag><Size>${objects.get(k)?.body.byteLength}</Size></Contents>`,
        )
        .join(
          "",
        )}${truncated ? `<NextContinuationToken>${xml(page.at(-1) ?? "")}</NextContinuationToken>` : ""}</ListBucketResult>`,
    );
  }
  if (req.method === "PUT") {
    const headers: Record<string, string> = { etag: `e${objects.size}${body.byteLength}` };
    for (const [name, value] of Object.entries(req.headers))
      if (name.startsWith("x-amz-meta-") || name === "content-type") headers[name] = String(value);
    objects.set(key, { body, headers });
    res.writeHead(200, { etag: `"${headers.etag}"` });
    return res.end();
  }
  const object = objects.get(key);
  if (req.method === "DELETE") {
    objects.delete(key);
    res.writeHead(204);
    return res.end();
  }
  if (!object) {
    res.writeHead(404, { "content-type": "application/xml" });
    return res.end(req.method === "HEAD" ? undefined : "<Error><Code>NoSuchKey</Code></Error>");
  }
  const { etag, ...rest2 } = object.headers;
  res.writeHead(200, {
    ...rest2,
    etag: `"${etag}"`,
    "content-length": String(object.body.byteLength),
    "last-modified": "Sun, 01 Mar 2026 10:00:00 GMT",
  });
  res.end(req.method === "HEAD" ? undefined : object.body);
}

let bucket: Bucket;
beforeAll(async () => {
  server = createServer((req, res) => void handle(req, res));
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  origin = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  bucket = createBucket("uploads", () =>
    s3Store({ bucket: "uploads", region: "us-east-1", endpoint: origin }, CREDENTIALS),
  );
});
afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
});

describe("the S3 bucket backend (SigV4 through aws4fetch, path-style endpoint)", () => {
  it("puts, heads, gets and deletes with content type, metadata and etag; every request signed", async () => {
    const info = await bucket.put("photos/my cat (1).png", new Uint8Array([1, 2, 3]), {
      contentType: "image/png",
      metadata: { owner: "u1" },
    });
    expect(info).toMatchObject({ key: "photos/my cat (1).png", size: 3, contentType: "image/png" });
    expect(info.etag).not.toContain('"');
    const head = await bucket.head("photos/my cat (1).png");
    expect(head).toMatchObject({
      size: 3,
      etag: info.etag,
      contentType: "image/png",
      metadata: { owner: "u1" },
    });
    expect(head?.uploaded.toISOString()).toBe("2026-03-01T10:00:00.000Z");
    const object = await bucket.get("photos/my cat (1).png");
    expect([...new Uint8Array(await object!.arrayBuffer())]).toEqual([1, 2, 3]);
    expect(await bucket.get("missing")).toBeNull();
    expect(await bucket.head("missing")).toBeNull();
    await bucket.delete(["photos/my cat (1).png", "missing"]);
    expect(await bucket.head("photos/my cat (1).png")).toBeNull();
    expect(badSignatures).toEqual([]);
  });

  it("lists in key order by prefix, page by page, with the continuation token as cursor", async () => {
    for (const key of ["l/c", "l/a", "l/b", "other"]) await bucket.put(key, key);
    const first = await bucket.list({ prefix: "l/", limit: 2 });
    expect(first.objects.map((o) => o.key)).toEqual(["l/a", "l/b"]);
    expect(first.truncated).toBe(true);
    const second = await bucket.list({ prefix: "l/", limit: 2, cursor: first.cursor });
    expect(second).toMatchObject({ truncated: false, cursor: undefined });
    expect(second.objects.map((o) => [o.key, o.size])).toEqual([["l/c", 3]]);
  });

  it("turns S3 errors into [skiff] errors with S3's code, and needs credentials", async () => {
    const other = createBucket("nope", () =>
      s3Store({ bucket: "nope", region: "us-east-1", endpoint: origin }, CREDENTIALS),
    );
    await expect(other.get("a")).rejects.toThrow(
      /^\[skiff\] S3 GetObject on bucket "nope" failed: NoSuchBucket/,
    );
    const anonymous = createBucket("uploads", () =>
      s3Store({ bucket: "uploads", region: "us-east-1", endpoint: origin }, {}),
    );
    await expect(anonymous.get("a")).rejects.toThrow(/AWS_ACCESS_KEY_ID is not set/);
  });
});
