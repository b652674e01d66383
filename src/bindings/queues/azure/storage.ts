// Queue producers on Azure Storage Queues, over the REST API with web fetch and web crypto.
import { SkiffError } from "../../../errors.js";
import type { OutgoingMessage, QueueTransport } from "../types.js";
import { fromBase64, hmacSha256, toBase64, utf8 } from "./_crypto.js";
import type { StorageAccount } from "./connection.js";

// https://learn.microsoft.com/rest/api/storageservices/put-message: a message is at most 64 KiB (its base64 text,
// which is what the Functions trigger expects by default), visibilitytimeout at most 7 days; messagettl=-1 keeps it
// until it is read, so a delayed or unread message never expires silently.
const MAX_MESSAGE_BYTES = 64 * 1024;
const MAX_DELAY_SECONDS = 7 * 24 * 60 * 60;
const VERSION = "2021-12-02";

/**
 * The `Authorization` header of a Storage request signed with Shared Key
 * (https://learn.microsoft.com/rest/api/storageservices/authorize-with-shared-key): HMAC-SHA256 with the
 * base64-decoded account key over the verb, the standard headers, the `x-ms-*` headers and the canonical resource
 * (`/<account><path>` plus the sorted query parameters).
 *
 * @example
 * ```ts
 * const authorization = await sharedKeyAuthorization(account, "POST", url, headers);
 * // "SharedKey devstoreaccount1:..."
 * ```
 */
export async function sharedKeyAuthorization(
  account: { accountName: string; accountKey: string },
  method: string,
  url: URL,
  headers: Headers,
): Promise<string> {
  const h = (name: string) => headers.get(name) ?? "";
  const length = h("content-length");
  const msHeaders = [...headers.entries()]
    .filter(([name]) => name.startsWith("x-ms-"))
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([name, value]) => `${name}:${value.trim()}\n`)
    .join("");
  const params = new Map<string, string[]>();
  for (const [name, value] of url.searchParams) {
    const key = name.toLowerCase();
    params.set(key, [...(params.get(key) ?? []), value]);
  }
  const query = [...params.keys()]
    .sort()
    .map((name) => `\n${name}:${(params.get(name) ?? []).sort().join(",")}`)
    .join("");
  const stringToSign = [
    method.toUpperCase(),
    h("content-encoding"),
    h("content-language"),
    length === "0" ? "" : length,
    h("content-md5"),
    h("content-type"),
    "", // Date: x-ms-date is sent instead
    h("if-modified-since"),
    h("if-match"),
    h("if-none-match"),
    h("if-unmodified-since"),
    h("range"),
    `${msHeaders}/${account.accountName}${url.pathname}${query}`,
  ].join("\n");
  return `SharedKey ${account.accountName}:${await hmacSha256(fromBase64(account.accountKey), stringToSign)}`;
}

/**
 * @internal Sends one Storage REST request, signed with the account key or carrying the SAS token.
 */
async function storageRequest(
  account: StorageAccount,
  fetcher: typeof fetch,
  method: string,
  path: string,
  query: Record<string, string>,
  body?: string,
): Promise<Response> {
  const url = new URL(`${account.endpoint}${path}`);
  for (const [name, value] of Object.entries(query)) url.searchParams.set(name, value);
  const headers = new Headers({ "x-ms-date": new Date().toUTCString(), "x-ms-version": VERSION });
  if (body !== undefined) {
    headers.set("content-type", "application/xml; charset=utf-8");
    headers.set("content-length", String(utf8(body).byteLength));
  }
  if (account.accountKey)
    headers.set(
      "authorization",
      await sharedKeyAuthorization(
        { accountName: account.accountName, accountKey: account.accountKey },
        method,
        url,
        headers,
      ),
    );
  else if (account.sas)
    for (const [name, value] of new URLSearchParams(account.sas)) url.searchParams.set(name, value);
  headers.delete("content-length"); // fetch sets it from the body; it was needed only for the signature
  return fetcher(url, { method, headers, ...(body === undefined ? {} : { body }) });
}

async function failure(response: Response, what: string): Promise<SkiffError> {
  const text = await response.text().catch(() => "");
  const code =
    /<Code>([^<]+)<\/Code>/.exec(text)?.[1] ??
    response.headers.get("x-ms-error-code") ??
    `HTTP ${response.status}`;
  const detail = /<Message>([^<]+)<\/Message>/.exec(text)?.[1]?.split("\n")[0];
  return new SkiffError(`Azure Storage ${what} failed: ${code}${detail ? `: ${detail}` : ""}`);
}

/**
 * Sets when a received Storage message becomes visible again (Update Message,
 * https://learn.microsoft.com/rest/api/storageservices/update-message): how a consumer delays one message's retry.
 * `popReceipt` is the one of the current receipt (the queue trigger's metadata carries it). Throws a SkiffError
 * with Azure's error code when the update fails (the message then reappears on the queue's own schedule).
 *
 * @example
 * ```ts
 * await updateMessageVisibility(account, "orders", meta.id, meta.popReceipt, 300);
 * ```
 */
export async function updateMessageVisibility(
  account: StorageAccount,
  queue: string,
  id: string,
  popReceipt: string,
  seconds: number,
  fetcher: typeof fetch = (input, init) => fetch(input, init),
): Promise<void> {
  const response = await storageRequest(
    account,
    fetcher,
    "PUT",
    `/${queue}/messages/${encodeURIComponent(id)}`,
    {
      popreceipt: popReceipt,
      visibilitytimeout: String(Math.min(Math.max(0, Math.floor(seconds)), MAX_DELAY_SECONDS)),
    },
  );
  if (response.status !== 204) throw await failure(response, `Update Message on "${queue}"`);
  await response.body?.cancel();
}

/**
 * Options of {@link storageQueueTransport}: how to reach the account (resolved on first send, so a function that
 * never sends needs no connection string) and the `fetch` to use.
 *
 * @example
 * ```ts
 * const options: StorageQueueTransportOptions = { account: () => parseStorageConnection(env.AzureWebJobsStorage ?? "") };
 * ```
 */
export interface StorageQueueTransportOptions {
  account: () => StorageAccount;
  fetch?: typeof fetch;
}

/**
 * A transport that puts each message on an Azure Storage queue with Put Message, in order, one request per message
 * (the API has no batch send). The body is JSON, base64-encoded (the queue trigger's default `messageEncoding`); a
 * delay is the message's `visibilitytimeout` (at most 7 days). A queue that does not exist yet is created once
 * (what Azure's queue output binding does). A failure throws saying how many messages of the batch were already
 * sent; delivery is at least once.
 *
 * @example
 * ```ts
 * const transport = storageQueueTransport("orders", { account: () => parseStorageConnection(env.AzureWebJobsStorage ?? "") });
 * await transport.send([{ body: { orderId: "o1" } }, { body: { orderId: "o2" }, delaySeconds: 60 }]);
 * ```
 */
export function storageQueueTransport(queue: string, options: StorageQueueTransportOptions): QueueTransport {
  const fetcher = options.fetch ?? ((input, init) => fetch(input, init));
  let account: StorageAccount | undefined;
  const put = (text: string, delaySeconds: number) =>
    storageRequest(
      (account ??= options.account()),
      fetcher,
      "POST",
      `/${queue}/messages`,
      { visibilitytimeout: String(delaySeconds), messagettl: "-1" },
      `<?xml version="1.0" encoding="utf-8"?><QueueMessage><MessageText>${text}</MessageText></QueueMessage>`,
    );
  return {
    maxDelaySeconds: MAX_DELAY_SECONDS,
    async send(messages: readonly OutgoingMessage[]): Promise<void> {
      const texts = messages.map((m) => {
        const text = toBase64(utf8(JSON.stringify(m.body)));
        if (text.length > MAX_MESSAGE_BYTES)
          throw new SkiffError(
            `queue "${queue}": an Azure Storage queue message is at most 64 KiB once base64-encoded (about 48 KiB of JSON); this one is ${text.length} bytes; nothing was sent`,
          );
        const delay = m.delaySeconds ?? 0;
        if (delay > MAX_DELAY_SECONDS)
          throw new SkiffError(
            `queue "${queue}": Azure Storage delays a message by at most ${MAX_DELAY_SECONDS} seconds (7 days), got ${delay}; nothing was sent`,
          );
        return { text, delay };
      });
      for (const [i, { text, delay }] of texts.entries()) {
        try {
          let response = await put(text, delay);
          if (response.status === 404 && response.headers.get("x-ms-error-code") === "QueueNotFound") {
            await response.body?.cancel();
            const created = await storageRequest(account as StorageAccount, fetcher, "PUT", `/${queue}`, {});
            if (!created.ok && created.status !== 409)
              throw await failure(created, `Create Queue "${queue}"`);
            await created.body?.cancel();
            response = await put(text, delay);
          }
          if (response.status !== 201) throw await failure(response, `Put Message to "${queue}"`);
          await response.body?.cancel();
        } catch (error) {
          if (i === 0 || !(error instanceof Error)) throw error;
          throw new SkiffError(
            `${error.message} (the first ${i} of ${messages.length} messages had been sent)`,
            {
              cause: error,
            },
          );
        }
      }
    },
  };
}
