import { env } from "cloudflare:workers";
import { KV_LIMITS, SkiffError } from "skiff";
import { CloudflareKV } from "skiff/cloudflare";
import { describe, expect, it } from "vitest";

// Cloudflare's limits, enforced before the call so every backend fails the same way:
// https://developers.cloudflare.com/kv/platform/limits/
describe("kv on a Workers KV namespace", () => {
  const kv = new CloudflareKV(env.KV);
  const prefix = `kv-${crypto.randomUUID()}:`;

  it("stores and reads text, JSON and bytes through the binding", async () => {
    await kv.put(`${prefix}text`, "hello");
    await kv.put(`${prefix}json`, JSON.stringify({ a: [1, 2] }));
    await kv.put(`${prefix}bytes`, new Uint8Array([0, 1, 255]));
    expect(await kv.get(`${prefix}text`)).toBe("hello");
    expect(await kv.get<{ a: number[] }>(`${prefix}json`, "json")).toEqual({ a: [1, 2] });
    expect([...new Uint8Array((await kv.get(`${prefix}bytes`, "arrayBuffer")) as ArrayBuffer)]).toEqual([
      0, 1, 255,
    ]);
    expect(await env.KV.get(`${prefix}text`)).toBe("hello"); // it is the real namespace
    await kv.delete(`${prefix}text`);
    expect(await kv.get(`${prefix}text`)).toBeNull();
  });

  it("passes TTLs to Cloudflare and lists their expiration", async () => {
    const now = Math.floor(Date.now() / 1000);
    await kv.put(`${prefix}ttl`, "x", { expirationTtl: 120 });
    await kv.put(`${prefix}abs`, "y", { expiration: now + 600 });
    const { keys } = await kv.list({ prefix: `${prefix}` });
    const ttl = keys.find((k) => k.name === `${prefix}ttl`);
    expect(ttl?.expiration).toBeGreaterThanOrEqual(now + 115);
    expect(ttl?.expiration).toBeLessThanOrEqual(now + 125);
    expect(keys.find((k) => k.name === `${prefix}abs`)?.expiration).toBe(now + 600);
  });

  it("pages through keys with Cloudflare's cursor", async () => {
    const p = `${prefix}page:`;
    for (const k of ["a", "b", "c"]) await kv.put(`${p}${k}`, k);
    const first = await kv.list({ prefix: p, limit: 2 });
    expect(first.keys.map((k) => k.name)).toEqual([`${p}a`, `${p}b`]);
    expect(first.list_complete).toBe(false);
    const second = await kv.list({ prefix: p, limit: 2, cursor: first.cursor });
    expect(second.keys.map((k) => k.name)).toEqual([`${p}c`]);
    expect(second.list_complete).toBe(true);
    expect(second.cursor).toBeUndefined();
  });

  it("rejects keys, values, TTLs and list limits that Cloudflare would refuse, before calling it", async () => {
    await expect(kv.put("", "v")).rejects.toThrow(SkiffError);
    await expect(kv.get("..")).rejects.toThrow(/not allowed/);
    await expect(kv.put("k".repeat(KV_LIMITS.maxKeyBytes + 1), "v")).rejects.toThrow(/longer than 512 bytes/);
    await expect(kv.put("é".repeat(257), "v")).rejects.toThrow(/longer than 512 bytes/); // 514 bytes in UTF-8
    await expect(kv.put(`${prefix}big`, new Uint8Array(KV_LIMITS.maxValueBytes + 1))).rejects.toThrow(
      /the limit is 26214400/,
    );
    await expect(kv.put(`${prefix}short`, "v", { expirationTtl: 59 })).rejects.toThrow(/at least 60 seconds/);
    await expect(kv.put(`${prefix}past`, "v", { expiration: Math.floor(Date.now() / 1000) })).rejects.toThrow(
      /60 seconds in the future/,
    );
    await expect(kv.list({ limit: 1001 })).rejects.toThrow(/from 1 to 1000/);
    await expect(kv.list({ limit: 0 })).rejects.toThrow(/from 1 to 1000/);
    await expect(kv.get(`${prefix}x`, "stream" as "text")).rejects.toThrow(/get type must be/);
    expect(await env.KV.get(`${prefix}big`)).toBeNull();
    expect(await env.KV.get(`${prefix}short`)).toBeNull();
  });
});
