import { describe, expect, it } from "vitest";
import * as root from "skiff";
import * as adapter from "skiff/adapter";
import * as vercel from "skiff/vercel";

// The public API is split by audience: `skiff` is what an app author writes an app with; what an adapter author
// assembles a platform from is `skiff/adapter`; build-time code is reached only through the `skiff` command.
const ADAPTER_INTERNALS = [
  "SkiffRuntime",
  "createRuntime",
  "runtimeContext",
  "WaitUntilTracker",
  "safeWaitUntil",
  "TriggerRegistry",
  "dispatchQueue",
  "dispatchCron",
  "drainOnce",
  "drainQueues",
  "drainUntilIdle",
  "cronSlug",
  "cronFromSlug",
  "Database",
  "migrate",
  "ensureSchema",
  "resolveDatabaseConfig",
  "KVBackend",
  "MemoryKV",
  "LibsqlKV",
  "createProducer",
  "LibsqlQueueStore",
  "libsqlBindings",
  "parseWithSchema",
];

describe("the public API, split by audience", () => {
  it("skiff exports the app author's API and none of the adapter internals", () => {
    expect(Object.keys(root).sort()).toEqual(
      [
        "ConfigError",
        "KV_LIMITS",
        "ProblemError",
        "QUEUE_LIMITS",
        "Skiff",
        "SkiffError",
        "ValidationError",
        "consoleSink",
        "createLogger",
        "isSqlQuery",
        "notFound",
        "onError",
        "problemResponse",
        "sql",
        "statusTitle",
        "validateCron",
      ].sort(),
    );
    for (const name of ADAPTER_INTERNALS) expect(Object.keys(root)).not.toContain(name);
  });

  it("skiff/adapter exports what adapters are assembled from", () => {
    for (const name of ADAPTER_INTERNALS) expect(Object.keys(adapter)).toContain(name);
  });

  it("skiff/vercel ships no build-time vercel.json code", () => {
    const names = Object.keys(vercel);
    for (const name of ["vercelCrons", "withVercelCrons", "diffVercelCrons", "vercelSchedule"])
      expect(names).not.toContain(name);
    expect(names).toContain("toVercel");
  });
});
