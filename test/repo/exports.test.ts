import { readFileSync } from "node:fs";
import ts from "typescript";
import { describe, expect, it } from "vitest";
import * as root from "skiff";
import * as adapter from "skiff/adapter";
import * as bun from "skiff/bun";
import * as deno from "skiff/deno";
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
  "WorkflowEngine",
  "listRuns",
  "getRun",
  "cancelRun",
  "retryRun",
  "ensureWorkflowSchema",
];

const pkg = JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as {
  exports: Record<string, Record<string, string> | undefined>;
};

// The runtime names a module exports (what `Object.keys(await import(file))` would list), read from its source with
// TypeScript's parser: declarations marked `export` and `export { ... }` lists, without types. `export *` would need
// the other module read too, so it fails the test rather than be guessed.
function valueExports(file: URL): string[] {
  const source = ts.createSourceFile(file.pathname, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const names: string[] = [];
  const exported = (node: ts.Node) =>
    ts.canHaveModifiers(node) &&
    (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword) &&
    !(ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DeclareKeyword);
  for (const statement of source.statements) {
    if (ts.isExportDeclaration(statement)) {
      if (!statement.exportClause || !ts.isNamedExports(statement.exportClause))
        throw new Error(`${file.pathname}: export * cannot be listed from this file alone`);
      if (statement.isTypeOnly) continue;
      for (const element of statement.exportClause.elements)
        if (!element.isTypeOnly) names.push(element.name.text);
    } else if (ts.isExportAssignment(statement)) names.push("default");
    else if (!exported(statement)) continue;
    else if (ts.isVariableStatement(statement))
      for (const declaration of statement.declarationList.declarations)
        if (ts.isIdentifier(declaration.name)) names.push(declaration.name.text);
        else throw new Error(`${file.pathname}: a destructured export is not listed here`);
    else if (
      (ts.isFunctionDeclaration(statement) ||
        ts.isClassDeclaration(statement) ||
        ts.isEnumDeclaration(statement)) &&
      statement.name
    )
      names.push(statement.name.text);
  }
  return names.sort();
}

describe("the public API, split by audience", () => {
  it("skiff exports the app author's API and none of the adapter internals", () => {
    expect(Object.keys(root).sort()).toEqual(
      [
        // Storage: the limits an app author checks object sizes against.
        "BUCKET_LIMITS",
        "ConfigError",
        "KV_LIMITS",
        "NonRetryableError",
        "ProblemError",
        "QUEUE_LIMITS",
        "Skiff",
        "SkiffError",
        "ValidationError",
        "consoleSink",
        "createLogger",
        // Change triggers: a migration that drops a watched column drops skiff's triggers first.
        "dropChangeTriggers",
        "isSqlQuery",
        "notFound",
        "onError",
        "problemResponse",
        "sql",
        "statusTitle",
        "validateCron",
        "WORKFLOW_LIMITS",
        "WorkflowStepError",
        "WorkflowTimeoutError",
      ].sort(),
    );
    for (const name of ADAPTER_INTERNALS) expect(Object.keys(root)).not.toContain(name);
    // The storage and change-feed machinery the runtime assembles stays internal (only types and limits are API).
    for (const name of ["declaredBuckets", "storageQueue", "localEvent", "relayAfterWork", "databaseSetup"])
      expect(Object.keys(root)).not.toContain(name);
  });

  it("skiff/adapter exports what adapters are assembled from", () => {
    for (const name of ADAPTER_INTERNALS) expect(Object.keys(adapter)).toContain(name);
  });

  it("skiff/deno and skiff/bun export their adapter, its bindings and nothing of skiff/adapter", () => {
    expect(Object.keys(deno).sort()).toEqual(
      [
        "DENO_KV_MAX_VALUE_BYTES",
        "DENO_QUEUE_BACKOFF",
        "DenoKV",
        "denoCronName",
        "denoDatabase",
        "denoQueue",
        "toDeno",
        "undeliveredKey",
      ].sort(),
    );
    expect(Object.keys(bun).sort()).toEqual(
      ["bunDatabase", "bunDefaultDatabaseUrl", "findBunProjectDir", "resolveBunOptions", "serve"].sort(),
    );
    for (const name of ADAPTER_INTERNALS) {
      expect(Object.keys(deno)).not.toContain(name);
      expect(Object.keys(bun)).not.toContain(name);
    }
  });

  it("skiff/cloudflare/workflows exports only cloudflareWorkflows (read from its source: it imports cloudflare:workers, which Node cannot load)", () => {
    const target = pkg.exports["./cloudflare/workflows"]?.["skiff-source"];
    expect(target).toBe("./src/adapters/cloudflare/workflows.ts");
    expect(valueExports(new URL(`../../${target}`, import.meta.url))).toEqual(["cloudflareWorkflows"]);
    // The reading agrees with Node on entries it can import (re-exports, `export type`, inline `type` names).
    for (const [subpath, module] of [
      ["./deno", deno],
      ["./bun", bun],
    ] as const) {
      const file = new URL(`../../${pkg.exports[subpath]?.["skiff-source"]}`, import.meta.url);
      expect(valueExports(file), subpath).toEqual(Object.keys(module).sort());
    }
  });

  it("skiff/vercel ships no build-time vercel.json code", () => {
    const names = Object.keys(vercel);
    for (const name of ["vercelCrons", "withVercelCrons", "diffVercelCrons", "vercelSchedule"])
      expect(names).not.toContain(name);
    expect(names).toContain("toVercel");
  });
});
