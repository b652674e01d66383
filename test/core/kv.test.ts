import { describe, expect, it } from "vitest";
import { type KVStore } from "skiff";
import { LibsqlKV, MemoryKV } from "skiff/adapter";
import { nodeDatabase } from "skiff/node";

type Clocked = { kv: KVStore; advance(ms: number): void };

const backends: Array<[string, () => Clocked]> = [
  [
    "memory",
    () => {
      let now = 1_700_000_000_000;
      return { kv: new MemoryKV({ now: () => now }), advance: (ms) => void (now += ms) };
    },
  ],
  [
    "libSQL",
    () => {
      let now = 1_700_000_000_000;
      return {
        kv: new LibsqlKV(nodeDatabase({ url: ":memory:" }), { now: () => now }),
        advance: (ms) => void (now += ms),
      };
    },
  ],
];

describe.each(backends)("kv on %s", (_name, make) => {
  it("stores text, JSON and bytes and reads them back as asked", async () => {
    const { kv } = make();
    await kv.put("t", "hello");
    await kv.put("j", JSON.stringify({ a: [1, 2] }));
    await kv.put("b", new Uint8Array([0, 255, 7]));
    expect(await kv.get("t")).toBe("hello");
    expect(await kv.get("j", "json")).toEqual({ a: [1, 2] });
    expect([...new Uint8Array((await kv.get("b", "arrayBuffer")) as ArrayBuffer)]).toEqual([0, 255, 7]);
    expect(await kv.get("missing")).toBeNull();
    await kv.put("t", "again");
    expect(await kv.get("t")).toBe("again");
    await kv.delete("t");
    expect(await kv.get("t")).toBeNull();
  });

  it("honours expirationTtl on read and in list", async () => {
    const { kv, advance } = make();
    await kv.put("session", "s", { expirationTtl: 60 });
    await kv.put("forever", "f");
    advance(59_000);
    expect(await kv.get("session")).toBe("s");
    const listed = await kv.list();
    expect(listed.keys.find((k) => k.name === "session")?.expiration).toBeTypeOf("number");
    advance(1_000);
    expect(await kv.get("session")).toBeNull();
    expect((await kv.list()).keys.map((k) => k.name)).toEqual(["forever"]);
  });

  it("lists by prefix in byte order, a page at a time with a cursor", async () => {
    const { kv } = make();
    for (const key of ["user:3", "user:1", "order:1", "user:2", "user:10"]) await kv.put(key, key);
    const first = await kv.list({ prefix: "user:", limit: 2 });
    expect(first.keys.map((k) => k.name)).toEqual(["user:1", "user:10"]);
    expect(first.list_complete).toBe(false);
    const second = await kv.list({ prefix: "user:", limit: 2, cursor: first.cursor });
    expect(second.keys.map((k) => k.name)).toEqual(["user:2", "user:3"]);
    expect(second.list_complete).toBe(true);
    expect(second.cursor).toBeUndefined();
  });

  it("enforces Cloudflare's limits everywhere, with messages that say what is wrong", async () => {
    const { kv } = make();
    await expect(kv.put("k", "v", { expirationTtl: 30 })).rejects.toThrow(/at least 60 seconds/);
    await expect(kv.put("", "v")).rejects.toThrow(/non-empty/);
    await expect(kv.put("x".repeat(513), "v")).rejects.toThrow(/512 bytes/);
    await expect(kv.list({ limit: 1001 })).rejects.toThrow(/1 to 1000/);
    await expect(kv.list({ cursor: "%%%" })).rejects.toThrow(/cursor/);
  });
});
