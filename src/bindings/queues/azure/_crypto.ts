// Web-crypto helpers shared by the Storage and Service Bus producers (no node: built-ins: they run in any runtime).
const encoder = new TextEncoder();

/**
 * @internal Base64 of bytes, in chunks so a 64 KiB message does not overflow the argument list.
 *
 * @example
 * ```ts
 * toBase64(utf8("hi")); // "aGk="
 * ```
 */
export function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let i = 0; i < bytes.length; i += 0x8000)
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

/**
 * @internal The bytes of a base64 string.
 *
 * @example
 * ```ts
 * fromBase64("aGk="); // Uint8Array [104, 105]
 * ```
 */
export function fromBase64(text: string): Uint8Array {
  const binary = atob(text);
  const out = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
  return out;
}

/**
 * @internal Base64 of HMAC-SHA256(key, message).
 *
 * @example
 * ```ts
 * await hmacSha256(fromBase64(accountKey), stringToSign);
 * ```
 */
export async function hmacSha256(key: Uint8Array, message: string): Promise<string> {
  const cryptoKey = await crypto.subtle.importKey(
    "raw",
    key as Uint8Array<ArrayBuffer>,
    { name: "HMAC", hash: "SHA-256" },
    false,
    ["sign"],
  );
  return toBase64(new Uint8Array(await crypto.subtle.sign("HMAC", cryptoKey, encoder.encode(message))));
}

/**
 * @internal UTF-8 bytes of a string.
 *
 * @example
 * ```ts
 * utf8("é").byteLength; // 2
 * ```
 */
export const utf8 = (text: string): Uint8Array => encoder.encode(text);
