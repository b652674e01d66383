import { type ChildProcess, spawn } from "node:child_process";
import { join } from "node:path";
import { AZURITE_ACCOUNT } from "skiff/azure";
import { freePort } from "../../../support/net.js";

/** A running Azurite queue service on 127.0.0.1 (in memory), with the development account's connection string. */
export interface Azurite {
  readonly endpoint: string;
  readonly connectionString: string;
  /** Every message now on `queue`, oldest first, its base64 text decoded and parsed as JSON (peeked, not dequeued). */
  peek(queue: string): Promise<unknown[]>;
  /** Puts one message (base64 of `text`), as any producer would. */
  put(queue: string, text: string): Promise<void>;
  /** Receives (dequeues with a lease of `visibilitySeconds`) as the host's queue listener does. */
  receive(
    queue: string,
    visibilitySeconds: number,
    count?: number,
  ): Promise<Array<{ id: string; popReceipt: string; text: string; dequeueCount: number }>>;
  /** Update Message's status for `popReceipt` (204 when it was current). */
  updateVisibility(queue: string, id: string, popReceipt: string, seconds: number): Promise<number>;
  /** Deletes a received message (what the host does after a success). */
  remove(queue: string, id: string, popReceipt: string): Promise<number>;
  stop(): Promise<void>;
}

const root = new URL("../../../..", import.meta.url).pathname;

/** Starts `azurite-queue` once (per test file) and waits, at most 15 s, until it listens. */
export async function startAzurite(): Promise<Azurite> {
  const port = await freePort();
  const child: ChildProcess = spawn(
    join(root, "node_modules/.bin/azurite-queue"),
    [
      "--inMemoryPersistence",
      "--queueHost",
      "127.0.0.1",
      "--queuePort",
      String(port),
      "--skipApiVersionCheck",
      "--silent",
    ],
    { stdio: ["ignore", "pipe", "pipe"] },
  );
  let output = "";
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`azurite did not start within 15 s: ${output}`)), 15_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes("successfully listens")) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout?.on("data", onData);
    child.stderr?.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`azurite exited with ${code}: ${output}`));
    });
  });
  const endpoint = `http://127.0.0.1:${port}/${AZURITE_ACCOUNT.accountName}`;
  const connectionString = `DefaultEndpointsProtocol=http;AccountName=${AZURITE_ACCOUNT.accountName};AccountKey=${AZURITE_ACCOUNT.accountKey};QueueEndpoint=${endpoint};`;
  const signed = async (method: string, path: string, query: Record<string, string>, body?: string) => {
    const { sharedKeyAuthorization } = await import("skiff/azure");
    const url = new URL(`${endpoint}${path}`);
    for (const [k, v] of Object.entries(query)) url.searchParams.set(k, v);
    const headers = new Headers({ "x-ms-date": new Date().toUTCString(), "x-ms-version": "2021-12-02" });
    if (body !== undefined) {
      headers.set("content-type", "application/xml");
      headers.set("content-length", String(Buffer.byteLength(body)));
    } else if (method === "PUT" || method === "POST") headers.set("content-length", "0");
    headers.set("authorization", await sharedKeyAuthorization(AZURITE_ACCOUNT, method, url, headers));
    headers.delete("content-length");
    return fetch(url, { method, headers, ...(body === undefined ? {} : { body }) });
  };
  const tag = (xml: string, name: string) => new RegExp(`<${name}>([^<]*)</${name}>`).exec(xml)?.[1] ?? "";
  return {
    endpoint,
    connectionString,
    async put(queue, text) {
      await (await signed("PUT", `/${queue}`, {})).body?.cancel();
      const res = await signed(
        "POST",
        `/${queue}/messages`,
        {},
        `<QueueMessage><MessageText>${Buffer.from(text).toString("base64")}</MessageText></QueueMessage>`,
      );
      if (res.status !== 201) throw new Error(`put ${queue}: ${res.status} ${await res.text()}`);
    },
    async receive(queue, visibilitySeconds, count = 32) {
      const res = await signed("GET", `/${queue}/messages`, {
        numofmessages: String(count),
        visibilitytimeout: String(visibilitySeconds),
      });
      const xml = await res.text();
      return [...xml.matchAll(/<QueueMessage>([\s\S]*?)<\/QueueMessage>/g)].map((m) => ({
        id: tag(m[1] ?? "", "MessageId"),
        popReceipt: tag(m[1] ?? "", "PopReceipt"),
        text: Buffer.from(tag(m[1] ?? "", "MessageText"), "base64").toString("utf8"),
        dequeueCount: Number(tag(m[1] ?? "", "DequeueCount")),
      }));
    },
    async updateVisibility(queue, id, popReceipt, seconds) {
      const res = await signed("PUT", `/${queue}/messages/${id}`, {
        popreceipt: popReceipt,
        visibilitytimeout: String(seconds),
      });
      await res.body?.cancel();
      return res.status;
    },
    async remove(queue, id, popReceipt) {
      const res = await signed("DELETE", `/${queue}/messages/${id}`, { popreceipt: popReceipt });
      await res.body?.cancel();
      return res.status;
    },
    async peek(queue) {
      // Azurite checks every Shared Key signature itself, so signing the peek with skiff's signer proves it again.
      const { sharedKeyAuthorization } = await import("skiff/azure");
      const url = new URL(`${endpoint}/${queue}/messages?peekonly=true&numofmessages=32`);
      const headers = new Headers({ "x-ms-date": new Date().toUTCString(), "x-ms-version": "2021-12-02" });
      headers.set("authorization", await sharedKeyAuthorization(AZURITE_ACCOUNT, "GET", url, headers));
      const res = await fetch(url, { headers });
      if (res.status === 404) return [];
      const xml = await res.text();
      if (res.status !== 200) throw new Error(`peek ${queue}: ${res.status} ${xml}`);
      const texts = [...xml.matchAll(/<MessageText>([^<]*)<\/MessageText>/g)].map((m) => m[1] ?? "");
      if (texts.length >= 32)
        throw new Error(`peek ${queue}: 32 messages or more; the helper reads at most 32`);
      return texts.map((t) => JSON.parse(Buffer.from(t, "base64").toString("utf8")) as unknown);
    },
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        // SIGTERM makes Azurite wait for idle keep-alive sockets; an in-memory store has nothing to flush.
        child.once("exit", () => resolve());
        child.kill("SIGKILL");
      }),
  };
}
