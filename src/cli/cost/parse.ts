import { CliError } from "../errors.js";

const COUNT = /^(\d+(?:\.\d+)?|\d*\.\d+)(?:e(\d+))?\s*([kmb])?$/i;
const MULTIPLIERS: Readonly<Record<string, number>> = { k: 1e3, m: 1e6, b: 1e9 };

/**
 * Parses a monthly request count: `1000000`, `1_000_000`, `250k`, `1M`, `2.5M`, `1B`, `1e6`.
 *
 * @example
 * ```ts
 * parseCount("1M", "--requests") // 1_000_000
 * ```
 */
export function parseCount(text: string, flag: string): number {
  const match = COUNT.exec(text.trim().replaceAll("_", ""));
  if (!match) throw new CliError(`${flag}: "${text}" is not a count (write 1000000, 250k, 1M or 1B)`);
  const [, digits = "", exponent, suffix] = match;
  const value =
    Number(digits) * 10 ** Number(exponent ?? 0) * (suffix ? (MULTIPLIERS[suffix.toLowerCase()] ?? 1) : 1);
  if (!Number.isFinite(value)) throw new CliError(`${flag}: "${text}" is too large`);
  return value;
}

const DURATION = /^(\d+(?:\.\d+)?|\d*\.\d+)\s*(ms|s)?$/i;

/**
 * Parses a duration into milliseconds: `200ms`, `0.2s`, `1.5s`, or a bare number of milliseconds.
 *
 * @example
 * ```ts
 * parseDurationMs("0.2s", "--duration") // 200
 * ```
 */
export function parseDurationMs(text: string, flag: string): number {
  const match = DURATION.exec(text.trim());
  if (!match) throw new CliError(`${flag}: "${text}" is not a duration (write 200ms or 0.2s)`);
  const value = Number(match[1]) * (match[2]?.toLowerCase() === "s" ? 1000 : 1);
  if (value <= 0) throw new CliError(`${flag}: a duration must be above 0 (got "${text}")`);
  return value;
}

const MEMORY = /^(\d+(?:\.\d+)?|\d*\.\d+)\s*(mb|mib|gb|gib)?$/i;

/**
 * Parses a memory size into MB (MiB, as every platform here means): `256`, `256MB`, `1GB`, `0.5GiB`.
 *
 * @example
 * ```ts
 * parseMemoryMb("1GB", "--memory") // 1024
 * ```
 */
export function parseMemoryMb(text: string, flag: string): number {
  const match = MEMORY.exec(text.trim());
  if (!match) throw new CliError(`${flag}: "${text}" is not a memory size (write 256, 256MB or 1GB)`);
  const unit = match[2]?.toLowerCase() ?? "mb";
  const value = Number(match[1]) * (unit.startsWith("g") ? 1024 : 1);
  if (value < 64 || value > 32768)
    throw new CliError(`${flag}: ${value} MB is outside 64 MB–32 GB, the range functions are sold in`);
  return value;
}
