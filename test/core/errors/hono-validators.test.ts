import { sValidator } from "@hono/standard-validator";
import { zValidator } from "@hono/zod-validator";
import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Skiff } from "skiff";
import { validate, validationProblem } from "skiff/middleware";

const Order = z.object({ sku: z.string().min(1), qty: z.number().int().positive() });
const Search = z.object({ limit: z.coerce.number().int().max(50) });

const app = new Skiff();
app.post("/skiff", validate("json", Order), (c) => c.json(c.req.valid("json")));
app.post("/zod", zValidator("json", Order, validationProblem), (c) => {
  const order: { sku: string; qty: number } = c.req.valid("json");
  return c.json(order);
});
app.post("/standard", sValidator("json", Order, validationProblem), (c) => {
  const order: { sku: string; qty: number } = c.req.valid("json");
  return c.json(order);
});
app.get("/skiff/search", validate("query", Search), (c) => c.json(c.req.valid("query")));
app.get("/zod/search", zValidator("query", Search, validationProblem), (c) => c.json(c.req.valid("query")));
app.get("/standard/search", sValidator("query", Search, validationProblem), (c) =>
  c.json(c.req.valid("query")),
);

const post = (path: string, body: string) =>
  app.request(path, { method: "POST", body, headers: { "content-type": "application/json" } });

describe.each(["zod", "standard"])(
  "@hono/%s-validator with validationProblem answers as validate() does",
  (name) => {
    it("a body the schema rejects is the same 422 problem", async () => {
      const bad = JSON.stringify({ sku: "", qty: -1 });
      const ours = await post("/skiff", bad);
      const theirs = await post(`/${name}`, bad);
      expect(theirs.status).toBe(422);
      expect(theirs.headers.get("content-type")).toBe("application/problem+json");
      const body = await theirs.json();
      expect(body).toEqual(await ours.json());
      expect(body).toMatchObject({
        type: "about:blank",
        title: "Unprocessable Content",
        status: 422,
        detail: "The JSON body did not match its schema",
        errors: [
          { path: "sku", message: expect.any(String) },
          { path: "qty", message: expect.any(String) },
        ],
      });
    });

    it("a query the schema rejects is the same 422 problem", async () => {
      const ours = await app.request("/skiff/search?limit=99");
      const theirs = await app.request(`/${name}/search?limit=99`);
      expect(theirs.status).toBe(422);
      expect(await theirs.json()).toEqual(await ours.json());
    });

    it("a valid body passes, parsed", async () => {
      const res = await post(`/${name}`, JSON.stringify({ sku: "A1", qty: 2 }));
      expect(res.status).toBe(200);
      expect(await res.json()).toEqual({ sku: "A1", qty: 2 });
    });

    it("malformed JSON is a 400 problem", async () => {
      const res = await post(`/${name}`, "{nope");
      expect(res.status).toBe(400);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect(await res.json()).toMatchObject({ status: 400, title: "Bad Request" });
    });
  },
);
