// Azure connection strings, parsed once per transport. Storage: https://learn.microsoft.com/azure/storage/common/storage-configure-connection-string
// Service Bus: https://learn.microsoft.com/azure/service-bus-messaging/service-bus-authentication-and-authorization
import { ConfigError } from "../../../errors.js";

/**
 * Where a Storage Queue producer sends and how it signs: the queue service endpoint (no trailing slash), and either
 * the account name and key (Shared Key) or a SAS token (without the leading `?`).
 *
 * @example
 * ```ts
 * const account: StorageAccount = { endpoint: "https://shop.queue.core.windows.net", accountName: "shop", accountKey: "..." };
 * ```
 */
export interface StorageAccount {
  readonly endpoint: string;
  readonly accountName: string;
  readonly accountKey?: string;
  readonly sas?: string;
}

/**
 * Azurite's and the Storage Emulator's well-known development account, as Azure documents it
 * (https://learn.microsoft.com/azure/storage/common/storage-use-azurite#http-connection-strings).
 *
 * @example
 * ```ts
 * parseStorageConnection("UseDevelopmentStorage=true").accountName; // "devstoreaccount1"
 * ```
 */
export const AZURITE_ACCOUNT = {
  accountName: "devstoreaccount1",
  accountKey: "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==",
  endpoint: "http://127.0.0.1:10001/devstoreaccount1",
} as const;

function pairs(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const part of text.split(";")) {
    const at = part.indexOf("=");
    if (at > 0) out.set(part.slice(0, at).trim().toLowerCase(), part.slice(at + 1).trim());
  }
  return out;
}

/**
 * Parses a Storage connection string (the value of the setting a queue trigger names, `AzureWebJobsStorage` by
 * default): `UseDevelopmentStorage=true`, account name and key with `DefaultEndpointsProtocol`/`EndpointSuffix` or an
 * explicit `QueueEndpoint`, or `QueueEndpoint` with `SharedAccessSignature`. `variable` names the setting in errors.
 *
 * @example
 * ```ts
 * parseStorageConnection("DefaultEndpointsProtocol=https;AccountName=shop;AccountKey=a2V5;EndpointSuffix=core.windows.net", "AzureWebJobsStorage");
 * // { endpoint: "https://shop.queue.core.windows.net", accountName: "shop", accountKey: "a2V5" }
 * ```
 */
export function parseStorageConnection(text: string, variable = "AzureWebJobsStorage"): StorageAccount {
  const map = pairs(text);
  if (map.get("usedevelopmentstorage")?.toLowerCase() === "true") {
    const proxy = map.get("developmentstorageproxyuri");
    return proxy
      ? { ...AZURITE_ACCOUNT, endpoint: `${proxy.replace(/\/+$/, "")}:10001/devstoreaccount1` }
      : AZURITE_ACCOUNT;
  }
  const accountName = map.get("accountname");
  const accountKey = map.get("accountkey");
  const sas = map.get("sharedaccesssignature")?.replace(/^\?/, "");
  let endpoint = map.get("queueendpoint")?.replace(/\/+$/, "");
  if (!endpoint && accountName) {
    const protocol = map.get("defaultendpointsprotocol") ?? "https";
    const suffix = map.get("endpointsuffix") ?? "core.windows.net";
    endpoint = `${protocol}://${accountName}.queue.${suffix}`;
  }
  if (!endpoint || (!accountKey && !sas))
    throw new ConfigError(
      `${variable} is not a Storage connection string skiff can send with: give AccountName and AccountKey (Shared Key), or QueueEndpoint and SharedAccessSignature (SAS), e.g. "DefaultEndpointsProtocol=https;AccountName=<account>;AccountKey=<key>;EndpointSuffix=core.windows.net" (identity-based connections, <NAME>__queueServiceUri, need a token skiff does not fetch)`,
      { variable },
    );
  // The account is the first path segment for path-style endpoints (Azurite), else the host's first label.
  const url = new URL(endpoint);
  const name = accountName ?? (url.pathname.split("/")[1] || url.hostname.split(".")[0] || "");
  return { endpoint, accountName: name, ...(accountKey ? { accountKey } : {}), ...(sas ? { sas } : {}) };
}

/**
 * A Service Bus namespace as a producer needs it: the HTTPS base URL (`sb://` becomes `https://`), the shared
 * access policy name and key.
 *
 * @example
 * ```ts
 * const ns: ServiceBusNamespace = { endpoint: "https://shop.servicebus.windows.net", keyName: "send", key: "..." };
 * ```
 */
export interface ServiceBusNamespace {
  readonly endpoint: string;
  readonly keyName: string;
  readonly key: string;
}

/**
 * Parses a Service Bus connection string (`Endpoint=sb://<ns>.servicebus.windows.net/;SharedAccessKeyName=...;
 * SharedAccessKey=...`, as the portal shows under Shared access policies). `variable` names the setting in errors.
 *
 * @example
 * ```ts
 * parseServiceBusConnection("Endpoint=sb://shop.servicebus.windows.net/;SharedAccessKeyName=send;SharedAccessKey=k");
 * // { endpoint: "https://shop.servicebus.windows.net", keyName: "send", key: "k" }
 * ```
 */
export function parseServiceBusConnection(
  text: string,
  variable = "ServiceBusConnection",
): ServiceBusNamespace {
  const map = pairs(text);
  const raw = map.get("endpoint");
  const keyName = map.get("sharedaccesskeyname");
  const key = map.get("sharedaccesskey");
  if (!raw || !keyName || !key)
    throw new ConfigError(
      `${variable} is not a Service Bus connection string skiff can send with: give Endpoint, SharedAccessKeyName and SharedAccessKey ("Endpoint=sb://<namespace>.servicebus.windows.net/;SharedAccessKeyName=<policy>;SharedAccessKey=<key>", from the namespace's Shared access policies)`,
      { variable },
    );
  const endpoint = raw.replace(/^sb:\/\//i, "https://").replace(/\/+$/, "");
  return { endpoint, keyName, key };
}
