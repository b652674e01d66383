import { describe, expect, it } from "vitest";
import { parse as parseYaml } from "yaml";
import { Skiff } from "skiff";
import { describeApp } from "../../src/cli/app/manifest.js";
import { samTemplate } from "../../src/cli/targets/lambda/sam-template.js";
import { bucketsOf } from "../../src/cli/targets/lambda/sam-buckets.js";
import {
  checkR2Buckets,
  notificationCommands,
  r2Plan,
} from "../../src/cli/targets/cloudflare/wrangler-storage.js";
import { checkWrangler } from "../../src/cli/targets/cloudflare/wrangler-check.js";
import { parseWranglerConfig } from "../../src/cli/targets/cloudflare/wrangler-config.js";
import { wranglerToml } from "../../src/cli/targets/cloudflare/target.js";
import { z } from "zod";

const app = new Skiff({
  buckets: { uploads: {}, exports: { name: "acme-exports" } },
  queues: { "thumbnails-dlq": z.unknown() },
});
app.storage("uploads", () => undefined, {
  events: ["created"],
  prefix: "photos/",
  suffix: ".png",
  maxRetries: 3,
  deadLetter: "thumbnails-dlq",
});
app.storage("uploads", () => undefined, { events: "deleted", prefix: "docs/" });

type Json = Record<string, unknown>;

describe("generated config for storage triggers", () => {
  it("SAM: an S3 bucket per declared bucket, an S3 event per handler with its filter rules, and the bucket's queue", () => {
    const { yaml, problems } = samTemplate(describeApp(app), { buckets: bucketsOf(app) });
    expect(problems).toEqual([]);
    const template = parseYaml(yaml) as { Resources: Record<string, Json> };
    const fn = template.Resources.SkiffFunction as { Properties: Json };
    const events = fn.Properties.Events as Record<string, Json>;
    expect(events.UploadsBucketEvents).toEqual({
      Type: "S3",
      Properties: {
        Bucket: { Ref: "UploadsBucket" },
        Events: ["s3:ObjectCreated:*"],
        Filter: {
          S3Key: {
            Rules: [
              { Name: "prefix", Value: "photos/" },
              { Name: "suffix", Value: ".png" },
            ],
          },
        },
      },
    });
    expect((events.UploadsBucketEvents2 as { Properties: Json }).Properties.Events).toEqual([
      "s3:ObjectRemoved:*",
    ]);
    // SAM's S3 event needs the bucket in the same template; the exports bucket keeps its declared name.
    expect(template.Resources.UploadsBucket?.Type).toBe("AWS::S3::Bucket");
    expect((template.Resources.ExportsBucket as { Properties: Json }).Properties.BucketName).toBe(
      "acme-exports",
    );
    const variables = (fn.Properties.Environment as { Variables: Json }).Variables;
    expect(variables.SKIFF_BUCKET_EXPORTS).toBe("acme-exports");
    expect(variables.SKIFF_QUEUE_URL_SKIFF_STORAGE_UPLOADS).toEqual({ Ref: "SkiffStorageUploadsQueue" });
    // The storage queue is an ordinary consumed queue: redrive after maxRetries + 1 receives, batch failures on.
    const queue = template.Resources.SkiffStorageUploadsQueue as { Properties: Json };
    expect(queue.Properties.RedrivePolicy).toMatchObject({ maxReceiveCount: 4 });
    expect(
      (events.SkiffStorageUploadsQueueMessages as { Properties: Json }).Properties.FunctionResponseTypes,
    ).toEqual(["ReportBatchItemFailures"]);
    // The policy names the bucket by value, not Ref, so no circular dependency (bucket → function → policy).
    expect(JSON.stringify(fn.Properties.Policies)).not.toContain('"Ref":"UploadsBucket"');
  });

  it("SAM: reports overlapping notification rules, which S3 refuses", () => {
    const overlap = new Skiff({ buckets: { uploads: {} } });
    overlap.storage("uploads", () => undefined, { prefix: "a/" });
    overlap.storage("uploads", () => undefined, { prefix: "a/b/" });
    const { problems } = samTemplate(describeApp(overlap), { buckets: bucketsOf(overlap) });
    expect(problems.map((p) => p.message).join("\n")).toMatch(/two app.storage\(\) handlers overlap/);
  });

  it("wrangler: r2_buckets in the generated config, the bucket queue's consumer, and the notification commands", () => {
    const toml = wranglerToml(describeApp(app), {
      name: "shop",
      main: "worker.ts",
      compatibilityDate: "2026-04-20",
      buckets: r2Plan(app),
    });
    const config = parseWranglerConfig(toml, "toml");
    expect(config.r2_buckets).toEqual([
      { binding: "UPLOADS", bucket_name: "uploads" },
      { binding: "EXPORTS", bucket_name: "acme-exports" },
    ]);
    expect((config.queues as { consumers: Json[] }).consumers).toContainEqual({
      queue: "skiff-storage-uploads",
      max_batch_size: 10,
      max_batch_timeout: 5,
      max_retries: 3,
      dead_letter_queue: "thumbnails-dlq",
    });
    expect(checkWrangler(describeApp(app), toml, { file: "wrangler.toml" })).toEqual([]);
    expect(checkR2Buckets(r2Plan(app), config, { file: "wrangler.toml", format: "toml" })).toEqual([]);
    expect(notificationCommands(r2Plan(app))).toEqual([
      "npx wrangler queues create skiff-storage-uploads",
      'npx wrangler r2 bucket notification create uploads --event-type object-create --queue skiff-storage-uploads --prefix "photos/" --suffix ".png"',
      'npx wrangler r2 bucket notification create uploads --event-type object-delete --queue skiff-storage-uploads --prefix "docs/"',
    ]);
  });

  it("wrangler check: a missing R2 binding or a bucket_name that drifted from the declaration", () => {
    const config = parseWranglerConfig(
      '[[r2_buckets]]\nbinding = "EXPORTS"\nbucket_name = "acme-exports-old"\n',
      "toml",
    );
    const problems = checkR2Buckets(r2Plan(app), config, { file: "wrangler.toml", format: "toml" });
    expect(problems.map((p) => p.message)).toEqual([
      'bucket "uploads" has no [[r2_buckets]] entry with binding "UPLOADS"',
      'bucket "exports": [[r2_buckets]] binding "EXPORTS" has bucket_name "acme-exports-old", but the app declares name "acme-exports"',
    ]);
    expect(problems[0]?.fix).toBe('[[r2_buckets]]\nbinding = "UPLOADS"\nbucket_name = "uploads"');
  });
});
