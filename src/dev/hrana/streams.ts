import { randomBytes } from "node:crypto";
import { HranaRequestError } from "./errors.js";
import type { RemoteConnection } from "./remote-connection.js";

/**
 * A stream: one connection in a SQL process (which also keeps the SQL texts stored on the stream). `closed` is set
 * by a `close` request; the registry then closes the connection when the request that closed it releases the stream.
 *
 * @example
 * ```ts
 * const stream = registry.acquire(body.baton);
 * try { await run(stream) } finally { baton = registry.release(stream) }
 * ```
 */
export interface HranaStream {
  readonly conn: RemoteConnection;
  closed: boolean;
}

interface Entry {
  stream: HranaStream;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/** How long an expired baton is remembered, to answer "expired" rather than "unknown" (as sqld does). */
const EXPIRED_MEMORY_MS = 5 * 60_000;
const EXPIRED_MEMORY_MAX = 10_000;

/**
 * Holds the streams between HTTP requests, keyed by baton. A baton is a random 144-bit token, single use: taking
 * a stream (`acquire`) consumes its baton and `release` issues a new one, so two requests can never use one stream
 * at once, and a stale or forged baton finds nothing. A stream left alone for `idleTimeoutMs` is closed, which
 * rolls back its transaction, so a client that died mid-transaction cannot hold the write lock forever.
 *
 * @example
 * ```ts
 * const registry = new StreamRegistry({ open: () => new RemoteConnection(pool), idleTimeoutMs: 10_000, maxStreams: 256 });
 * ```
 */
export class StreamRegistry {
  readonly #open: () => RemoteConnection;
  readonly #idleTimeoutMs: number;
  readonly #maxStreams: number;
  readonly #idle = new Map<string, Entry>();
  readonly #live = new Set<HranaStream>();
  readonly #expired = new Map<string, number>();
  #closed = false;

  constructor(options: { open: () => RemoteConnection; idleTimeoutMs: number; maxStreams: number }) {
    this.#open = options.open;
    this.#idleTimeoutMs = options.idleTimeoutMs;
    this.#maxStreams = options.maxStreams;
  }

  /** Number of open streams, in use or idle. */
  get size(): number {
    return this.#live.size;
  }

  /** Takes the stream a baton refers to, or opens a new one for a `null` baton. */
  acquire(baton: string | null): HranaStream {
    if (this.#closed)
      throw new HranaRequestError(503, "SERVER_CLOSED", "[skiff] the Hrana server is shutting down");
    if (baton === null) return this.#create();
    const entry = this.#idle.get(baton);
    if (!entry) {
      if (this.#expired.has(baton)) {
        throw new HranaRequestError(
          400,
          "STREAM_EXPIRED",
          `[skiff] the stream expired after ${this.#idleTimeoutMs} ms without a request; its transaction was rolled back`,
        );
      }
      throw new HranaRequestError(
        400,
        "BATON_INVALID",
        "[skiff] unknown or already used baton: each baton is valid for one request",
      );
    }
    this.#idle.delete(baton);
    clearTimeout(entry.timer);
    return entry.stream;
  }

  /** Gives a stream back after a request: a new baton if it stays open, `null` once it is closed. */
  release(stream: HranaStream): string | null {
    if (stream.closed || this.#closed || !this.#live.has(stream)) {
      this.#destroy(stream);
      return null;
    }
    const baton = randomBytes(18).toString("base64url");
    const timer = setTimeout(() => this.#expire(baton), this.#idleTimeoutMs);
    timer.unref(); // an idle stream must not keep the process alive
    this.#idle.set(baton, { stream, timer });
    return baton;
  }

  /** Gives a stream back under the baton it was taken with, after a request that did nothing to it. */
  restore(stream: HranaStream, baton: string): void {
    if (stream.closed || this.#closed || !this.#live.has(stream)) return void this.#destroy(stream);
    const timer = setTimeout(() => this.#expire(baton), this.#idleTimeoutMs);
    timer.unref();
    this.#idle.set(baton, { stream, timer });
  }

  /** Closes every stream, idle or in use, rolling back their transactions. */
  closeAll(): void {
    this.#closed = true;
    for (const { timer } of this.#idle.values()) clearTimeout(timer);
    this.#idle.clear();
    for (const stream of this.#live) this.#destroy(stream);
  }

  #create(): HranaStream {
    if (this.#live.size >= this.#maxStreams) {
      throw new HranaRequestError(
        503,
        "STREAMS_EXHAUSTED",
        `[skiff] ${this.#maxStreams} streams are open; close some (commit or roll back transactions) or raise maxStreams`,
      );
    }
    const stream: HranaStream = { conn: this.#open(), closed: false };
    this.#live.add(stream);
    return stream;
  }

  #expire(baton: string): void {
    const entry = this.#idle.get(baton);
    if (!entry) return;
    this.#idle.delete(baton);
    this.#destroy(entry.stream);
    const now = Date.now();
    this.#expired.set(baton, now);
    for (const [old, at] of this.#expired) {
      if (now - at < EXPIRED_MEMORY_MS && this.#expired.size <= EXPIRED_MEMORY_MAX) break;
      this.#expired.delete(old); // insertion order is expiry order, so the oldest go first
    }
  }

  #destroy(stream: HranaStream): void {
    stream.closed = true;
    this.#live.delete(stream);
    stream.conn.close();
  }
}
