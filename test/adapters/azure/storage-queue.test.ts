import { createHmac } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  AZURITE_ACCOUNT,
  parseStorageConnection,
  sharedKeyAuthorization,
  storageQueueTransport,
} from "skiff/azure";
import { type Azurite, startAzurite } from "./support/azurite.js";

// An account SAS for the queue service, signed as Azure documents it for version 2019-12-12
// (https://learn.microsoft.com/rest/api/storageservices/create-account-sas#version-2019-12-12-and-earlier), with
// node:crypto, independently of skiff's web-crypto signer.
function accountSas(expiry: string): string {
  const fields = { sv: "2019-12-12", ss: "q", srt: "sco", sp: "rwdlacup", se: expiry };
  const toSign = [
    AZURITE_ACCOUNT.accountName,
    fields.sp,
    fields.ss,
    fields.srt,
    "",
    fields.se,
    "",
    "",
    fields.sv,
    "",
  ].join("\n");
  const sig = createHmac("sha256", Buffer.from(AZURITE_ACCOUNT.accountKey, "base64"))
    .update(toSign)
    .digest("base64");
  return new URLSearchParams({ ...fields, sig }).toString();
}

async function getMessages(
  azurite: Azurite,
  queue: string,
): Promise<Array<{ text: string; dequeueCount: number }>> {
  const url = new URL(`${azurite.endpoint}/${queue}/messages?numofmessages=32&visibilitytimeout=1`);
  const headers = new Headers({ "x-ms-date": new Date().toUTCString(), "x-ms-version": "2021-12-02" });
  headers.set("authorization", await sharedKeyAuthorization(AZURITE_ACCOUNT, "GET", url, headers));
  const xml = await (await fetch(url, { headers })).text();
  return [...xml.matchAll(/<QueueMessage>([\s\S]*?)<\/QueueMessage>/g)].map((m) => ({
    text: Buffer.from(/<MessageText>([^<]*)</.exec(m[1] ?? "")?.[1] ?? "", "base64").toString("utf8"),
    dequeueCount: Number(/<DequeueCount>(\d+)</.exec(m[1] ?? "")?.[1]),
  }));
}

describe("the Azure Storage queue producer, against Azurite", () => {
  let azurite: Azurite;
  beforeAll(async () => {
    azurite = await startAzurite();
  });
  afterAll(() => azurite?.stop());

  const transport = (queue: string, connection = () => azurite.connectionString) =>
    storageQueueTransport(queue, { account: () => parseStorageConnection(connection()) });

  it("puts each message, in order, as base64 JSON the queue trigger decodes, creating the queue on first use", async () => {
    await transport("put-order").send([
      { body: { n: 1 } },
      { body: { n: 2, text: "héllo ✓" } },
      { body: "plain" },
    ]);
    expect(await getMessages(azurite, "put-order")).toEqual([
      { text: '{"n":1}', dequeueCount: 1 },
      { text: '{"n":2,"text":"héllo ✓"}', dequeueCount: 1 },
      { text: '"plain"', dequeueCount: 1 },
    ]);
  });

  it("delays a message with its visibility timeout", async () => {
    await transport("delayed").send([{ body: { late: true }, delaySeconds: 1 }, { body: { now: true } }]);
    expect(await azurite.peek("delayed")).toEqual([{ now: true }]);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(await azurite.peek("delayed")).toEqual([{ now: true }, { late: true }]);
  });

  it("sends with a SAS connection string (QueueEndpoint + SharedAccessSignature)", async () => {
    const sas = `QueueEndpoint=${azurite.endpoint};SharedAccessSignature=${accountSas("2099-01-01T00:00:00Z")}`;
    await transport("with-sas", () => sas).send([{ body: { sas: true } }]);
    expect(await azurite.peek("with-sas")).toEqual([{ sas: true }]);
  });

  it("fails with Azure's error code when the key is wrong, and refuses what Azure would, before sending", async () => {
    const wrong = azurite.connectionString.replace(
      AZURITE_ACCOUNT.accountKey,
      Buffer.from("not the key").toString("base64"),
    );
    await expect(transport("wrong-key", () => wrong).send([{ body: 1 }])).rejects.toThrow(
      /\[skiff\] Azure Storage .*failed: (AuthorizationFailure|AuthenticationFailed|AuthorizationPermissionMismatch)/,
    );
    await expect(transport("too-big").send([{ body: "x".repeat(50_000) }])).rejects.toThrow(
      /at most 64 KiB once base64-encoded/,
    );
    await expect(transport("too-late").send([{ body: 1, delaySeconds: 8 * 86_400 }])).rejects.toThrow(
      /at most 604800 seconds/,
    );
    expect(await azurite.peek("too-big")).toEqual([]);
  });

  it("reads the connection strings Azure documents, and names the setting when one cannot be used", () => {
    expect(parseStorageConnection("UseDevelopmentStorage=true")).toEqual(AZURITE_ACCOUNT);
    expect(
      parseStorageConnection(
        "DefaultEndpointsProtocol=https;AccountName=shop;AccountKey=a2V5;EndpointSuffix=core.windows.net",
      ),
    ).toEqual({ endpoint: "https://shop.queue.core.windows.net", accountName: "shop", accountKey: "a2V5" });
    expect(() => parseStorageConnection("AccountName=shop", "ShopStorage")).toThrow(
      /ShopStorage is not a Storage connection string/,
    );
  });
});
