// The two workerd built-in modules the Workflows entry (workflows.ts) imports, as far as skiff uses them, for the
// Node-side type-check (tsconfig.json, which has no @cloudflare/workers-types). The Workers type-check
// (test/adapters/cloudflare/workers/tsconfig.json) does not include this file and checks workflows.ts against the real
// declarations instead. https://developers.cloudflare.com/workflows/build/workers-api/
declare module "cloudflare:workers" {
  export abstract class WorkflowEntrypoint<Env = unknown, T = unknown> {
    protected ctx: { waitUntil(promise: Promise<unknown>): void };
    protected env: Env;
    constructor(ctx: unknown, env: Env);
    run(
      event: Readonly<{ payload: Readonly<T>; timestamp: Date; instanceId: string }>,
      step: unknown,
    ): Promise<unknown>;
  }
}

declare module "cloudflare:workflows" {
  export class NonRetryableError extends Error {
    constructor(message: string, name?: string);
  }
}
