// Bodies in both directions. Internal: used by to-request.ts and to-result.ts.

/**
 * @internal The request body as bytes, or `undefined` for GET and HEAD (fetch forbids a body there) and for an empty body.
 * Bytes rather than a string so `Request` does not invent a `text/plain` content type the client never sent.
 */
export function requestBody(
  method: string,
  body: string | null | undefined,
  isBase64Encoded: boolean | undefined,
) {
  if (method === "GET" || method === "HEAD" || !body) return undefined;
  return isBase64Encoded ? new Uint8Array(Buffer.from(body, "base64")) : new TextEncoder().encode(body);
}

const TEXT_TYPES = new Set([
  "application/json",
  "application/xml",
  "application/javascript",
  "application/x-javascript",
  "application/ecmascript",
  "application/x-www-form-urlencoded",
  "image/svg+xml",
]);

/**
 * @internal Whether a response of this type can travel as a plain JSON string: `text/*`, JSON, XML, JavaScript,
 * `+json`/`+xml` suffixes, form-urlencoded, SVG, and any type that names a charset. The result body is a
 * UTF-8 JSON string, so a charset other than UTF-8 or ASCII goes as base64 to keep its bytes.
 */
export function isTextContentType(contentType: string | null): boolean {
  if (!contentType) return false;
  const [essence = "", ...params] = contentType
    .toLowerCase()
    .split(";")
    .map((part) => part.trim());
  const charset = params
    .find((param) => param.startsWith("charset="))
    ?.slice(8)
    .replace(/"/g, "");
  if (charset !== undefined && !["utf-8", "utf8", "us-ascii"].includes(charset)) return false;
  return (
    charset !== undefined ||
    essence.startsWith("text/") ||
    TEXT_TYPES.has(essence) ||
    essence.endsWith("+json") ||
    essence.endsWith("+xml")
  );
}

/**
 * @internal The response body as text when its type is text and its bytes are valid UTF-8, else as base64 with
 * `isBase64Encoded: true` (API Gateway, Function URLs and ALB decode it back to bytes; a REST API must list the
 * type in `binaryMediaTypes`, https://docs.aws.amazon.com/apigateway/latest/developerguide/api-gateway-payload-encodings.html).
 * A compressed body (`content-encoding` other than identity) is binary whatever its type.
 */
export async function responseBody(response: Response): Promise<{ body: string; isBase64Encoded: boolean }> {
  const bytes = new Uint8Array(await response.arrayBuffer());
  if (bytes.byteLength === 0) return { body: "", isBase64Encoded: false };
  const encoding = response.headers.get("content-encoding")?.trim().toLowerCase();
  if (isTextContentType(response.headers.get("content-type")) && (!encoding || encoding === "identity")) {
    const text = decodeUtf8(bytes);
    if (text !== undefined) return { body: text, isBase64Encoded: false };
  }
  return { body: Buffer.from(bytes).toString("base64"), isBase64Encoded: true };
}

function decodeUtf8(bytes: Uint8Array): string | undefined {
  try {
    return new TextDecoder("utf-8", { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return undefined; // Not UTF-8 despite a text type: send it as base64 so no byte is replaced.
  }
}
