// The two XML answers skiff reads from S3 (ListObjectsV2 and errors), parsed with regular expressions: their
// elements are flat and fixed (https://docs.aws.amazon.com/AmazonS3/latest/API/API_ListObjectsV2.html), and a
// Worker has no DOMParser.

const ENTITIES: Readonly<Record<string, string>> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

/** @internal Decodes XML character references and the five predefined entities. */
export function xmlText(raw: string): string {
  return raw.replace(/&(#x[0-9a-fA-F]+|#[0-9]+|amp|lt|gt|quot|apos);/g, (_, ref: string) => {
    if (ref.startsWith("#x")) return String.fromCodePoint(Number.parseInt(ref.slice(2), 16));
    if (ref.startsWith("#")) return String.fromCodePoint(Number.parseInt(ref.slice(1), 10));
    return ENTITIES[ref] ?? "";
  });
}

/** @internal The text of the first `<name>` element of `xml`, decoded, or undefined. */
export function xmlElement(xml: string, name: string): string | undefined {
  const match = new RegExp(`<${name}>([\\s\\S]*?)</${name}>`).exec(xml);
  return match?.[1] === undefined ? undefined : xmlText(match[1]);
}

/** @internal Every `<name>...</name>` block of `xml`, raw. */
export function xmlBlocks(xml: string, name: string): string[] {
  return [...xml.matchAll(new RegExp(`<${name}>([\\s\\S]*?)</${name}>`, "g"))].map((m) => m[1] ?? "");
}

/**
 * @internal One page of a ListObjectsV2 answer.
 *
 * @example
 * ```ts
 * parseListObjects("<ListBucketResult><IsTruncated>false</IsTruncated></ListBucketResult>") // { objects: [], truncated: false }
 * ```
 */
export function parseListObjects(xml: string): {
  objects: Array<{ key: string; size: number; etag: string; lastModified: string }>;
  truncated: boolean;
  next: string | undefined;
} {
  const objects = xmlBlocks(xml, "Contents").map((block) => ({
    key: xmlElement(block, "Key") ?? "",
    size: Number(xmlElement(block, "Size") ?? 0),
    etag: xmlElement(block, "ETag") ?? "",
    lastModified: xmlElement(block, "LastModified") ?? "",
  }));
  return {
    objects,
    truncated: xmlElement(xml, "IsTruncated") === "true",
    next: xmlElement(xml, "NextContinuationToken"),
  };
}
