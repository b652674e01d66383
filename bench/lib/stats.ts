/** Median of a non-empty sample: robust to the one round a busy machine spoils. */
export function median(values: readonly number[]): number {
  if (values.length === 0) return Number.NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2
    ? (sorted[mid] as number)
    : ((sorted[mid - 1] as number) + (sorted[mid] as number)) / 2;
}

/** Relative spread of a sample ((max - min) / median), shown so a reader can judge how noisy a figure is. */
export function spread(values: readonly number[]): number {
  if (values.length < 2) return 0;
  return (Math.max(...values) - Math.min(...values)) / median(values);
}

/** Times an async function once, in milliseconds. */
export async function time(fn: () => Promise<unknown>): Promise<number> {
  const start = performance.now();
  await fn();
  return performance.now() - start;
}

/**
 * Runs `rounds` rounds over the contenders, alternating who goes first each round so that drift in machine load
 * (other test runs, thermal state) lands on every contender alike. Returns each contender's samples.
 */
export async function alternate<K extends string>(
  contenders: readonly K[],
  rounds: number,
  measure: (contender: K, round: number) => Promise<number>,
): Promise<Record<K, number[]>> {
  const samples = Object.fromEntries(contenders.map((k) => [k, [] as number[]])) as Record<K, number[]>;
  for (let round = 0; round < rounds; round++) {
    const order = round % 2 === 0 ? contenders : [...contenders].reverse();
    for (const contender of order) samples[contender].push(await measure(contender, round));
  }
  return samples;
}

export const fmt = {
  int: (n: number): string => Math.round(n).toLocaleString("en-US"),
  ms: (n: number): string => (n >= 100 ? n.toFixed(0) : n >= 10 ? n.toFixed(1) : n.toFixed(2)) + " ms",
  ratio: (n: number): string => (Number.isFinite(n) ? `${n.toFixed(2)}×` : "n/a"),
  pct: (n: number): string => `±${(n * 50).toFixed(0)}%`, // half the spread: the usual "±" reading
  kb: (bytes: number): string => `${(bytes / 1024).toFixed(1)} KiB`,
  mib: (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MiB`,
};
