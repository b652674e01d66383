import { describe, expect, it } from "vitest";
import { decodeS3Key, platformChanges } from "../../../src/triggers/storage/normalize.js";
import { storageSchema } from "../../../src/triggers/storage/consumer.js";

// R2's message format: https://developers.cloudflare.com/r2/buckets/event-notifications/#message-format
const r2 = (action: string, object: Record<string, unknown>) => ({
  account: "3f4b7e3dcab231cbfdaa90a6a28bd548",
  action,
  bucket: "my-bucket",
  object,
  eventTime: "2024-05-24T19:36:44.379Z",
  ...(action === "CopyObject" ? { copySource: { bucket: "my-bucket", object: "my-original-object" } } : {}),
});

describe("every platform's storage payload becomes one event shape", () => {
  it("maps each R2 action: PutObject, CopyObject, CompleteMultipartUpload create; DeleteObject, LifecycleDeletion delete", () => {
    const created = { key: "my new object", size: 65536, eTag: "c846ff7a18f28c2e262116d6e8719ef0" };
    for (const action of ["PutObject", "CopyObject", "CompleteMultipartUpload"])
      expect(platformChanges(r2(action, created))).toEqual([
        {
          bucket: "my-bucket",
          key: "my new object", // R2 sends keys as stored
          size: 65536,
          etag: "c846ff7a18f28c2e262116d6e8719ef0",
          event: "created",
          time: new Date("2024-05-24T19:36:44.379Z"),
        },
      ]);
    for (const action of ["DeleteObject", "LifecycleDeletion"])
      expect(platformChanges(r2(action, { key: "gone" }))?.map((c) => [c.event, c.size, c.etag])).toEqual([
        ["deleted", null, null],
      ]);
  });

  it("maps EventBridge's Object Deleted, and skips S3 event kinds that are no content change", () => {
    const deleted = {
      version: "0",
      "detail-type": "Object Deleted",
      source: "aws.s3",
      time: "2026-01-01T00:00:00Z",
      detail: {
        bucket: { name: "b" },
        object: { key: "k", sequencer: "1" },
        "deletion-type": "Permanently Deleted",
      },
    };
    expect(platformChanges(deleted)?.map((c) => [c.key, c.event])).toEqual([["k", "deleted"]]);
    expect(platformChanges({ ...deleted, "detail-type": "Object Restore Completed" })).toEqual([]);
  });

  it("decodes S3 keys: '+' is a space, %2B a plus, bad escapes kept", () => {
    expect(decodeS3Key("a+b%2Bc%20d")).toBe("a b+c d");
    expect(decodeS3Key("100%")).toBe("100%");
  });

  it("refuses payloads that are not storage events, so the queue dead-letters them", async () => {
    const schema = storageSchema("uploads");
    expect(await schema["~standard"].validate({ hello: "world" })).toMatchObject({
      issues: [{ message: expect.stringContaining("not a storage event") }],
    });
    expect(
      await schema["~standard"].validate({ Type: "Notification", Message: "Hello from SNS!" }),
    ).toHaveProperty("issues");
    expect(
      await schema["~standard"].validate(r2("PutObject", { key: "a", size: 1, eTag: "e" })),
    ).toMatchObject({
      value: [{ bucket: "uploads", key: "a" }],
    });
  });
});
