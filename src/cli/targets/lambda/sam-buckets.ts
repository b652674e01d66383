import { bucketVariable } from "../../../adapters/lambda/storage.js";
import type { SkiffApp } from "../../app/load.js";

/**
 * What the SAM template needs of one declared bucket: the app's name, the S3 bucket name when the declaration gives
 * one, and one rule per `app.storage()` handler.
 *
 * @example
 * ```ts
 * const uploads: SamBucket = { bucket: "uploads", name: undefined, rules: [{ events: ["created"], prefix: "photos/", suffix: "" }] };
 * ```
 */
export interface SamBucket {
  bucket: string;
  name: string | undefined;
  rules: Array<{ events: ReadonlyArray<"created" | "deleted">; prefix: string; suffix: string }>;
}

/**
 * The buckets of an app for {@link samBuckets}.
 *
 * @example
 * ```ts
 * samTemplate(manifest, { buckets: bucketsOf(app) });
 * ```
 */
export function bucketsOf(app: SkiffApp): SamBucket[] {
  return [...(app.triggers.buckets ?? new Map())].map(([bucket, declaration]) => ({
    bucket,
    name: declaration.name,
    rules: (app.triggers.storage?.get(bucket) ?? []).map((r) => ({
      events: r.events,
      prefix: r.prefix,
      suffix: r.suffix,
    })),
  }));
}

/**
 * What the buckets add to a SAM template (see {@link samBuckets}).
 *
 * @example
 * ```ts
 * const { resources, variables, policies, events, problems } = samBuckets(bucketsOf(app), ids);
 * ```
 */
export interface SamBucketParts {
  resources: Record<string, unknown>;
  variables: Record<string, unknown>;
  policies: unknown[];
  events: Record<string, unknown>;
  problems: string[];
}

// S3 event types of each skiff event (https://docs.aws.amazon.com/AmazonS3/latest/userguide/notification-how-to-event-types-and-destinations.html).
const S3_EVENTS = { created: "s3:ObjectCreated:*", deleted: "s3:ObjectRemoved:*" } as const;

/**
 * An `AWS::S3::Bucket` per declared bucket, its `SKIFF_BUCKET_<NAME>` variable and CRUD policy, and one SAM `S3`
 * event per storage handler (`Events` and `Filter.S3Key.Rules` from its events, prefix and suffix). SAM's S3 event
 * needs the bucket in the same template, so the stack creates it. The bucket's name is the declaration's `name`,
 * else `<bucket>-<first part of the stack id>`, computed (not a `Ref`) so that the function's policy and variable
 * do not make the circular dependency a `Ref` would (bucket → notification → function → policy → bucket). The
 * function forwards each S3 invocation to the bucket's queue, where the retry contract applies. S3 refuses two
 * notification rules of one bucket whose event types and key ranges overlap: that is reported as a problem.
 *
 * @example
 * ```ts
 * samBuckets([{ bucket: "uploads", name: undefined, rules: [{ events: ["created"], prefix: "photos/", suffix: ".png" }] }], ids)
 * ```
 */
export function samBuckets(
  buckets: readonly SamBucket[],
  id: (name: string, suffix: string) => string,
): SamBucketParts {
  const out: SamBucketParts = { resources: {}, variables: {}, policies: [], events: {}, problems: [] };
  const stackPart = {
    "Fn::Select": [
      0,
      { "Fn::Split": ["-", { "Fn::Select": [2, { "Fn::Split": ["/", { Ref: "AWS::StackId" }] }] }] },
    ],
  };
  for (const b of buckets) {
    const logical = id(b.bucket, "Bucket");
    if (b.name === undefined && !/^[a-z0-9][a-z0-9-]{1,44}$/.test(b.bucket))
      out.problems.push(
        `bucket "${b.bucket}": S3 bucket names are lower-case letters, digits and "-"; declare it as { ${b.bucket}: { name: "<s3-bucket-name>" } }`,
      );
    const name = b.name ?? { "Fn::Join": ["-", [b.bucket, stackPart]] };
    out.resources[logical] = {
      Type: "AWS::S3::Bucket",
      Properties: {
        BucketName: name,
        PublicAccessBlockConfiguration: {
          BlockPublicAcls: true,
          BlockPublicPolicy: true,
          IgnorePublicAcls: true,
          RestrictPublicBuckets: true,
        },
      },
    };
    out.variables[bucketVariable(b.bucket)] = name;
    out.policies.push({ S3CrudPolicy: { BucketName: name } });
    b.rules.forEach((rule, i) => {
      const rules = [
        ...(rule.prefix ? [{ Name: "prefix", Value: rule.prefix }] : []),
        ...(rule.suffix ? [{ Name: "suffix", Value: rule.suffix }] : []),
      ];
      out.events[`${logical}Events${i ? i + 1 : ""}`] = {
        Type: "S3",
        Properties: {
          Bucket: { Ref: logical },
          Events: rule.events.map((e) => S3_EVENTS[e]),
          ...(rules.length ? { Filter: { S3Key: { Rules: rules } } } : {}),
        },
      };
      for (const other of b.rules.slice(0, i))
        if (
          other.events.some((e) => rule.events.includes(e)) &&
          (other.prefix.startsWith(rule.prefix) || rule.prefix.startsWith(other.prefix)) &&
          (other.suffix.endsWith(rule.suffix) || rule.suffix.endsWith(other.suffix))
        )
          out.problems.push(
            `bucket "${b.bucket}": two app.storage() handlers overlap (prefix "${other.prefix}"/"${rule.prefix}", suffix "${other.suffix}"/"${rule.suffix}"), which S3 refuses in one bucket's notifications; register one handler for the overlap`,
          );
    });
  }
  return out;
}
