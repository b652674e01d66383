import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { deflateRawSync, gzipSync } from "node:zlib";

/**
 * A size limit of a platform: which measure it applies to and where the number comes from.
 *
 * @example
 * ```ts
 * const limit: SizeLimit = { measure: "gzip", bytes: 3 * MiB, label: "Workers Free (3 MiB compressed)" };
 * ```
 */
export interface SizeLimit {
  /** `gzip`: the bundle compressed; `unzipped`/`zipped`: what gets deployed (a directory on Lambda). */
  measure: "raw" | "gzip" | "unzipped" | "zipped";
  bytes: number;
  label: string;
}

/**
 * One mebibyte, the unit of the platforms' size limits.
 *
 * @example
 * ```ts
 * const workersFree = 3 * MiB;
 * ```
 */
export const MiB = 1024 * 1024;

/**
 * The gzip size of some bytes, at zlib's default level (what wrangler reports).
 *
 * @example
 * ```ts
 * gzipSize(Buffer.from("hello")) // 25
 * ```
 */
export function gzipSize(bytes: Uint8Array): number {
  return gzipSync(bytes).length;
}

/**
 * Measures the directory that gets deployed: total unzipped bytes and an estimate of its zip (deflate per file plus
 * zip headers), excluding source maps when `withMaps` is false.
 *
 * @example
 * ```ts
 * measureDirectory(".skiff/build/lambda") // { raw: 9_900_000, zip: 3_800_000, files: 12 }
 * ```
 */
export function measureDirectory(dir: string, withMaps = true): { raw: number; zip: number; files: number } {
  let raw = 0;
  let zip = 22; // end of central directory
  let files = 0;
  const walk = (at: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = join(at, entry.name);
      if (entry.isDirectory()) walk(path);
      else if (entry.isFile() && (withMaps || !entry.name.endsWith(".map"))) {
        const name = relative(dir, path).length;
        const size = statSync(path).size;
        raw += size;
        zip += Math.min(deflateRawSync(readFileSync(path)).length, size) + 30 + 46 + 2 * name;
        files++;
      }
    }
  };
  walk(dir);
  return { raw, zip, files };
}

/**
 * Parses a size such as `500kb`, `1.5MB`, `3mib` or `1048576` (binary units: 1 KB = 1024 bytes).
 *
 * @example
 * ```ts
 * parseSize("1mb") // 1048576
 * ```
 */
export function parseSize(text: string): number {
  const match = /^\s*(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?\s*$/i.exec(text);
  if (!match) throw new Error(`"${text}" is not a size (examples: 800kb, 1mb, 1048576)`);
  const unit = (match[2] ?? "b").toLowerCase()[0];
  const scale = unit === "k" ? 1024 : unit === "m" ? MiB : unit === "g" ? 1024 * MiB : 1;
  return Math.round(Number(match[1]) * scale);
}
