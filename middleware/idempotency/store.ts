/** @internal A response as kept for replay. */
export interface StoredResponse {
  status: number;
  headers: Array<[string, string]>;
  body: Uint8Array<ArrayBuffer>;
}

/** @internal What a key's entry says: someone holds it (until `lockedUntil`), or it finished (with a response for HTTP). */
export type Entry =
  | { state: "running"; fingerprint: string; lockedUntil: number }
  | { state: "done"; fingerprint: string; response: StoredResponse | undefined };

/** @internal The outcome of a claim: ours to run, or the live entry that holds the key. */
export type Claim = { claimed: true } | { claimed: false; entry: Entry | undefined };

/** @internal Times of one claim, in ms since the epoch. */
export interface ClaimTimes {
  now: number;
  lockedUntil: number;
  expiresAt: number;
}

/**
 * @internal Where idempotency entries live. Every write after `claim` is fenced by the claim's random `token`, so a
 * request whose lock expired (and was taken over) can neither complete nor release the new holder's entry.
 */
export interface IdempotencyStore {
  claim(id: string, fingerprint: string, token: string, times: ClaimTimes): Promise<Claim>;
  complete(
    id: string,
    token: string,
    response: StoredResponse | undefined,
    times: { now: number; expiresAt: number },
  ): Promise<void>;
  release(id: string, token: string): Promise<void>;
  sweep(now: number): Promise<void>;
}
