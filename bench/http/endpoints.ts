/**
 * The three endpoints every HTTP contender serves, and the work their handlers do, shared so that the handlers are
 * identical and only the framework differs.
 */
export const TEXT = "Hello, World!";

/** `GET /users/:id?include=` */
export const userJson = (id: string, include: unknown) => ({
  id,
  include: typeof include === "string" ? include : null,
});

/** `POST /orders` with a JSON body. */
export function acceptOrder(body: unknown) {
  const { sku, qty } = (body ?? {}) as { sku?: unknown; qty?: unknown };
  return { accepted: true, sku, qty };
}

export const ORDER = { sku: "TEA-1", qty: 2, email: "ada@example.com", note: "leave at the door" };

export interface Endpoint {
  name: string;
  method: "GET" | "POST";
  path: string;
  body?: string;
  /** What every contender must answer, checked before measuring so that no one wins by answering something else. */
  expect: { contentType: RegExp; body: string };
}

export const ENDPOINTS: readonly Endpoint[] = [
  { name: "plain text", method: "GET", path: "/hello", expect: { contentType: /^text\/plain/, body: TEXT } },
  {
    name: "JSON, path param + query",
    method: "GET",
    path: "/users/42?include=orders",
    expect: { contentType: /^application\/json/, body: JSON.stringify(userJson("42", "orders")) },
  },
  {
    name: "JSON POST body",
    method: "POST",
    path: "/orders",
    body: JSON.stringify(ORDER),
    expect: { contentType: /^application\/json/, body: JSON.stringify(acceptOrder(ORDER)) },
  },
];

/** Children report their port (and anything worth printing) to the parent over IPC. */
export function ready(port: number, info: Record<string, unknown> = {}): void {
  process.send?.({ port, ...info });
}
