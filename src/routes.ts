import type { Env, ErrorHandler, MiddlewareHandler, NotFoundHandler } from "hono";
import type {
  BlankInput,
  H,
  HandlerResponse,
  Input,
  IntersectNonAnyTypes,
  MergePath,
  Schema,
  ToSchema,
  TypedResponse,
} from "hono/types";
import type { Skiff } from "./app.js";
import type { QueueSchemas, SkiffEnv } from "./types.js";

// Hono's route overloads return plain Hono, which has no cron()/queue(). skiff repeats the common overloads with a
// Skiff return type (the rest fall through to Hono's own), computing the schema as Hono's `src/types.ts` does; its
// MergeTypedResponse, MergeMiddlewareResponse and AddSchemaIfHasResponse are private, so they are copied here.
type ResponseOf<T> =
  T extends Promise<void>
    ? T
    : T extends Promise<infer T2>
      ? T2 extends TypedResponse
        ? T2
        : TypedResponse
      : T extends TypedResponse
        ? T
        : TypedResponse;
type MiddlewareResponseOf<T> = T extends (c: never, next: never) => Promise<infer R>
  ? Exclude<R, void> extends never
    ? never
    : Exclude<R, void> extends Response | TypedResponse
      ? Extract<Exclude<R, void>, TypedResponse>
      : never
  : T extends (c: never, next: never) => infer R
    ? R extends Response | TypedResponse
      ? Extract<R, TypedResponse>
      : never
    : never;
type WithRoute<
  R,
  S extends Schema,
  M extends string,
  P extends string,
  I extends Input,
  BasePath extends string,
> = [R] extends [Promise<void>] ? S : S & ToSchema<M, MergePath<BasePath, P>, I, R>;
type Res = HandlerResponse<unknown>;
type And<E extends Env, E2 extends Env[]> = IntersectNonAnyTypes<[E, ...E2]>;
// The user env after middleware that declares its own env (`MiddlewareHandler<{ Variables: ... }>`) was chained.
type Widen<E extends Env, Q extends QueueSchemas, E2 extends Env[]> =
  SkiffEnv<E, Q> extends And<{}, E2> ? E : And<E, E2>;

/**
 * The route methods of a skiff app (`get`, `post`, ..., `use`, `onError`, `notFound`), typed to return the skiff
 * app so that `cron()`, `queue()` and more routes chain after them. Their common overloads (a path and one to four
 * handlers; one or two middleware, with or without a path) are Hono's with a skiff return type and the same RPC
 * schema. Other forms (more handlers, a route without a path, `on()`) use Hono's own overloads and return plain
 * Hono: they work, but the chain ends there.
 *
 * @example
 * ```ts
 * const app = new Skiff({ queues: { orders: Order } })
 *   .get("/api/ping", (c) => c.json({ pong: true }))
 *   .queue("orders", async (message) => console.log(message.body.orderId));
 * const client = hc<typeof app>("https://shop.example"); // client.api.ping.$get()
 * ```
 */
// The variance annotations (`out`, `in out`) are what TypeScript would find, given so that it need not measure
// them: measuring walks every Hono overload and multiplied a small app's type-check time by about ten.
export interface SkiffRoutes<
  out E extends Env,
  in out Q extends QueueSchemas,
  out S extends Schema,
  out BasePath extends string,
> {
  get: Routes<E, Q, SkiffEnv<E, Q>, "get", S, BasePath>;
  post: Routes<E, Q, SkiffEnv<E, Q>, "post", S, BasePath>;
  put: Routes<E, Q, SkiffEnv<E, Q>, "put", S, BasePath>;
  delete: Routes<E, Q, SkiffEnv<E, Q>, "delete", S, BasePath>;
  options: Routes<E, Q, SkiffEnv<E, Q>, "options", S, BasePath>;
  patch: Routes<E, Q, SkiffEnv<E, Q>, "patch", S, BasePath>;
  all: Routes<E, Q, SkiffEnv<E, Q>, "all", S, BasePath>;
  use: Use<E, Q, SkiffEnv<E, Q>, S, BasePath>;
  onError(handler: ErrorHandler<SkiffEnv<E, Q>>): Skiff<E, Q, S, BasePath>;
  notFound(handler: NotFoundHandler<SkiffEnv<E, Q>>): Skiff<E, Q, S, BasePath>;
}

interface Routes<
  out E extends Env,
  in out Q extends QueueSchemas,
  out A extends Env,
  out M extends string,
  out S extends Schema,
  out BasePath extends string,
> {
  <
    P extends string,
    MP extends MergePath<BasePath, P>,
    R extends Res = Res,
    I extends Input = BlankInput,
    E2 extends Env = A,
  >(
    path: P,
    handler: H<E2, MP, I, R>,
  ): Skiff<E, Q, WithRoute<ResponseOf<R>, S, M, P, I, BasePath>, BasePath>;
  <
    P extends string,
    MP extends MergePath<BasePath, P>,
    R extends Res = Res,
    I extends Input = BlankInput,
    I2 extends Input = I,
    E2 extends Env = A,
    E3 extends Env = And<A, [E2]>,
    M1 extends H<E2, MP, I> = H<E2, MP, I>,
  >(
    path: P,
    ...handlers: [H<E2, MP, I> & M1, H<E3, MP, I2, R>]
  ): Skiff<E, Q, WithRoute<ResponseOf<R> | MiddlewareResponseOf<M1>, S, M, P, I2, BasePath>, BasePath>;
  <
    P extends string,
    MP extends MergePath<BasePath, P>,
    R extends Res = Res,
    I extends Input = BlankInput,
    I2 extends Input = I,
    I3 extends Input = I & I2,
    E2 extends Env = A,
    E3 extends Env = And<A, [E2]>,
    E4 extends Env = And<A, [E2, E3]>,
    M1 extends H<E2, MP, I> = H<E2, MP, I>,
    M2 extends H<E3, MP, I2> = H<E3, MP, I2>,
  >(
    path: P,
    ...handlers: [H<E2, MP, I> & M1, H<E3, MP, I2> & M2, H<E4, MP, I3, R>]
  ): Skiff<
    E,
    Q,
    WithRoute<ResponseOf<R> | MiddlewareResponseOf<M1> | MiddlewareResponseOf<M2>, S, M, P, I3, BasePath>,
    BasePath
  >;
  <
    P extends string,
    MP extends MergePath<BasePath, P>,
    R extends Res = Res,
    I extends Input = BlankInput,
    I2 extends Input = I,
    I3 extends Input = I & I2,
    I4 extends Input = I & I2 & I3,
    E2 extends Env = A,
    E3 extends Env = And<A, [E2]>,
    E4 extends Env = And<A, [E2, E3]>,
    E5 extends Env = And<A, [E2, E3, E4]>,
    M1 extends H<E2, MP, I> = H<E2, MP, I>,
    M2 extends H<E3, MP, I2> = H<E3, MP, I2>,
    M3 extends H<E4, MP, I3> = H<E4, MP, I3>,
  >(
    path: P,
    ...handlers: [H<E2, MP, I> & M1, H<E3, MP, I2> & M2, H<E4, MP, I3> & M3, H<E5, MP, I4, R>]
  ): Skiff<
    E,
    Q,
    WithRoute<
      ResponseOf<R> | MiddlewareResponseOf<M1> | MiddlewareResponseOf<M2> | MiddlewareResponseOf<M3>,
      S,
      M,
      P,
      I4,
      BasePath
    >,
    BasePath
  >;
}

interface Use<
  out E extends Env,
  in out Q extends QueueSchemas,
  out A extends Env,
  out S extends Schema,
  out BasePath extends string,
> {
  <E2 extends Env = A>(
    handler: MiddlewareHandler<E2, MergePath<BasePath, "*">>,
  ): Skiff<Widen<E, Q, [E2]>, Q, S, BasePath>;
  <E2 extends Env = A, E3 extends Env = And<A, [E2]>>(
    ...handlers: [
      MiddlewareHandler<E2, MergePath<BasePath, "*">>,
      MiddlewareHandler<E3, MergePath<BasePath, "*">>,
    ]
  ): Skiff<Widen<E, Q, [E2, E3]>, Q, S, BasePath>;
  <P extends string, MP extends MergePath<BasePath, P>, E2 extends Env = A>(
    path: P,
    handler: MiddlewareHandler<E2, MP>,
  ): Skiff<Widen<E, Q, [E2]>, Q, S, BasePath>;
  <P extends string, MP extends MergePath<BasePath, P>, E2 extends Env = A, E3 extends Env = And<A, [E2]>>(
    path: P,
    ...handlers: [MiddlewareHandler<E2, MP>, MiddlewareHandler<E3, MP>]
  ): Skiff<Widen<E, Q, [E2, E3]>, Q, S, BasePath>;
}
