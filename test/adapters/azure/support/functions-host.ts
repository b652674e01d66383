import { createRequire } from "node:module";
import { timerData } from "./rpc.js";

/** The host's typed data (one of its fields is set), as the worker's RPC carries it. */
export type RpcTypedData = {
  string?: string;
  json?: string;
  bytes?: Uint8Array;
  http?: Record<string, unknown>;
};

/**
 * What `@azure/functions` hands the Functions host for one registered function: the metadata its
 * `toCoreFunctionMetadata` builds (bindings, trigger settings) and the handler the host's worker invokes.
 */
export interface RegisteredFunction {
  metadata: {
    name: string;
    bindings: Record<string, Record<string, unknown> & { type: string; direction: string }>;
  };
  handler: (...args: unknown[]) => unknown;
}

interface InvocationModel {
  getArguments(): Promise<{ context: unknown; inputs: unknown[] }>;
  invokeFunction(
    context: unknown,
    inputs: unknown[],
    handler: RegisteredFunction["handler"],
  ): Promise<unknown>;
  getResponse(
    context: unknown,
    result: unknown,
  ): Promise<{ returnValue?: RpcTypedData & { http?: RpcHttpResponse } }>;
}
interface ProgrammingModel {
  getInvocationModel(coreCtx: unknown): InvocationModel;
}

/** The HTTP response the host receives from the worker. */
export interface RpcHttpResponse {
  statusCode?: string;
  headers?: Record<string, string>;
  cookies?: Array<{
    name: string;
    value: string;
    path?: { value?: string };
    domain?: { value?: string };
    secure?: { value?: boolean };
    httpOnly?: { value?: boolean };
    sameSite?: string;
    maxAge?: { value?: number };
  }>;
  body?: RpcTypedData | null;
}

const registered = new Map<string, RegisteredFunction>();
let model: ProgrammingModel | undefined;

// The API of the host's worker that `@azure/functions` calls. The real worker injects `@azure/functions-core` (it is
// no npm package); without it the library switches to "test mode" and registers nothing. This stand-in keeps what
// the library registers and the programming model it sets, and invokes functions the way the worker does: through
// the library's own InvocationModel (RPC data → HttpRequest / InvocationContext / trigger arguments → handler →
// RPC response), so every conversion under test is the library's.
const coreApi = {
  version: "3.10.1",
  hostVersion: "4.1040.0",
  log: () => undefined,
  setProgrammingModel: (m: ProgrammingModel) => {
    model = m;
  },
  getProgrammingModel: () => model,
  registerHook: () => ({ dispose: () => undefined }),
  registerFunction(metadata: RegisteredFunction["metadata"], handler: RegisteredFunction["handler"]) {
    if (registered.has(metadata.name)) throw new Error(`function "${metadata.name}" registered twice`);
    registered.set(metadata.name, { metadata, handler });
    return { dispose: () => registered.delete(metadata.name) };
  },
};

let installed = false;

/**
 * Makes `require("@azure/functions-core")` (inside `@azure/functions`) resolve to the stand-in, as the worker's
 * own module hook does. Call before the first registration: the library looks the module up once.
 */
export function installFunctionsHost(): Map<string, RegisteredFunction> {
  if (installed) return registered;
  installed = true;
  const require = createRequire(import.meta.url);
  const Module = require("node:module") as {
    _resolveFilename: (request: string, ...rest: unknown[]) => string;
    _cache: Record<string, unknown>;
  };
  const id = "/@azure/functions-core (skiff test host)";
  Module._cache[id] = { id, filename: id, loaded: true, exports: coreApi, children: [], paths: [] };
  const resolve = Module._resolveFilename;
  Module._resolveFilename = (request, ...rest) =>
    request === "@azure/functions-core" ? id : resolve.call(Module, request, ...rest);
  return registered;
}

/** The function registered under `name`, or an error listing what was registered. */
export function registeredFunction(name: string): RegisteredFunction {
  const fn = registered.get(name);
  if (!fn)
    throw new Error(
      `no function "${name}" was registered (registered: ${[...registered.keys()].join(", ")})`,
    );
  return fn;
}

/** Forgets every registration (a test file registers one app at a time). */
export function resetFunctionsHost(): void {
  registered.clear();
}

let invocations = 0;

/**
 * Invokes a registered function as the worker does for an InvocationRequest: the trigger's input data and the
 * trigger metadata in RPC form, converted by the library, the handler called, its result converted back. Rejects
 * when the handler throws (the host then records a failure: a queue message is retried).
 */
export async function invoke(
  name: string,
  triggerData: RpcTypedData,
  triggerMetadata: Record<string, RpcTypedData> = {},
): Promise<RpcTypedData & { http?: RpcHttpResponse }> {
  const fn = registeredFunction(name);
  if (!model) throw new Error("@azure/functions set no programming model");
  const trigger = Object.entries(fn.metadata.bindings).find(([, b]) => b.direction === "in");
  if (!trigger) throw new Error(`function "${name}" has no trigger binding`);
  const invocationId = `00000000-0000-4000-8000-${(++invocations).toString(16).padStart(12, "0")}`;
  const invocation = model.getInvocationModel({
    invocationId,
    metadata: fn.metadata,
    request: { invocationId, inputData: [{ name: trigger[0], data: triggerData }], triggerMetadata },
    state: "invocation",
    log: () => undefined,
  });
  const { context, inputs } = await invocation.getArguments();
  const result = await invocation.invokeFunction(context, inputs, fn.handler);
  return (await invocation.getResponse(context, result)).returnValue ?? {};
}

/**
 * Starts the library's HTTP proxy as the worker does when `app.setup({ enableHttpStream: true })` is on (through
 * the programming model's getCapabilities) and returns its port.
 */
export async function startHttpProxy(): Promise<number> {
  const capabilities = await (
    model as unknown as { getCapabilities(c: Record<string, string>): Promise<Record<string, string>> }
  ).getCapabilities({});
  const uri = capabilities.HttpUri;
  if (!uri) throw new Error("the library started no HTTP proxy: is enableHttpStream set?");
  return Number(new URL(uri).port);
}

/**
 * One streamed HTTP invocation, as the host runs it with HTTP streaming on: the host forwards the client's request
 * to the worker's proxy (`x-ms-invocation-id`, `x-forwarded-host`, `x-forwarded-proto`) while it sends the
 * invocation request (headers in the trigger metadata); the function's response is written to the proxy's
 * response. Resolves with the response as soon as its head arrives, and `done` when the invocation finished.
 */
export async function invokeStreamed(
  name: string,
  port: number,
  path: string,
  init: { method: string; headers?: Record<string, string>; body?: ReadableStream<Uint8Array> },
): Promise<{ response: Response; done: Promise<void> }> {
  const fn = registeredFunction(name);
  if (!model) throw new Error("@azure/functions set no programming model");
  const trigger = Object.entries(fn.metadata.bindings).find(([, b]) => b.direction === "in");
  if (!trigger) throw new Error(`function "${name}" has no trigger binding`);
  const invocationId = `00000000-0000-4000-8000-${(++invocations).toString(16).padStart(12, "0")}`;
  const headers = init.headers ?? {};
  const invocation = model.getInvocationModel({
    invocationId,
    metadata: fn.metadata,
    request: {
      invocationId,
      inputData: [{ name: trigger[0], data: { http: {} } }],
      triggerMetadata: { Headers: { json: JSON.stringify(headers) } },
    },
    state: "invocation",
    log: () => undefined,
  });
  const response = fetch(`http://127.0.0.1:${port}${path}`, {
    method: init.method,
    headers: {
      ...headers,
      "x-ms-invocation-id": invocationId,
      "x-forwarded-host": "shop.test",
      "x-forwarded-proto": "https",
    },
    ...(init.body ? { body: init.body, duplex: "half" } : {}),
  } as RequestInit);
  const done = (async () => {
    const { context, inputs } = await invocation.getArguments();
    const result = await invocation.invokeFunction(context, inputs, fn.handler);
    await invocation.getResponse(context, result);
  })();
  return { response: await Promise.race([response, done.then(() => response)]), done };
}

/**
 * Fires the timer function `toAzure` registered for `expression`, as the host does for the occurrence at
 * `scheduledTime` (invoked 1.2 s after it, the previous one `intervalMs` before), with the app's clock set to the
 * moment of the invocation by `setClock` and handed back (`undefined`) afterwards. Azure runs only the timers that
 * were registered: an expression without one never fires, so this throws.
 *
 * @example
 * ```ts
 * await fireTimer(registration.crons, "0 3 * * *", Date.UTC(2026, 0, 1, 3), 86_400_000, (ms) => (clock = ms));
 * ```
 */
export async function fireTimer(
  crons: readonly { readonly cron: string; readonly name: string }[],
  expression: string,
  scheduledTime: number,
  intervalMs: number,
  setClock: (ms: number | undefined) => void,
): Promise<void> {
  const timer = crons.find((c) => c.cron === expression);
  if (!timer) throw new Error(`no timer function is registered for "${expression}"`);
  setClock(scheduledTime + 1_200);
  try {
    await invoke(timer.name, timerData(scheduledTime - intervalMs, scheduledTime));
  } finally {
    setClock(undefined);
  }
}
