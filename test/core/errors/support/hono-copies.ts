import { Hono } from "hono";
import { basicAuth } from "hono/basic-auth";
import { bearerAuth } from "hono/bearer-auth";
import { HTTPException } from "hono/http-exception";
import { jwt, sign } from "hono/jwt";
import { Hono as Hono412 } from "hono-4-12";
import { basicAuth as basicAuth412 } from "hono-4-12/basic-auth";
import { bearerAuth as bearerAuth412 } from "hono-4-12/bearer-auth";
import { HTTPException as HTTPException412 } from "hono-4-12/http-exception";
import { jwt as jwt412, sign as sign412 } from "hono-4-12/jwt";
import { expect } from "vitest";

/** Shared by the Hono error tests: the two copies of Hono a user's app may bring, and a problem reader. */

// skiff is built on `hono`; `hono-4-12` is a second copy (another version), as a user's own Hono can be. The two
// are distinct types to TypeScript (private fields); the tests are about run time, so the second is typed as the first.
export interface HonoCopy {
  name: string;
  Hono: typeof Hono;
  HTTPException: typeof HTTPException;
  bearerAuth: typeof bearerAuth;
  basicAuth: typeof basicAuth;
  jwt: typeof jwt;
  sign: typeof sign;
}
export const copies: HonoCopy[] = [
  { name: "skiff's own Hono", Hono, HTTPException, bearerAuth, basicAuth, jwt, sign },
  {
    name: "a second copy of Hono (4.12)",
    Hono: Hono412 as unknown as typeof Hono,
    HTTPException: HTTPException412 as unknown as typeof HTTPException,
    bearerAuth: bearerAuth412 as unknown as typeof bearerAuth,
    basicAuth: basicAuth412 as unknown as typeof basicAuth,
    jwt: jwt412 as unknown as typeof jwt,
    sign: sign412 as unknown as typeof sign,
  },
];

export const SECRET = "a-test-secret-of-32-characters!!";

export async function problemOf(res: Response): Promise<Record<string, unknown>> {
  expect(res.headers.get("content-type")).toBe("application/problem+json");
  return (await res.json()) as Record<string, unknown>;
}
