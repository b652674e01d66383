import type { StepCall } from "../types.js";

/** @internal A step that runs when first awaited (and only once), as the portable engine's steps do. */
export function lazyStep<T>(name: string, run: () => Promise<T>): StepCall<T> {
  let promise: Promise<T> | undefined;
  return {
    name,
    then(onFulfilled, onRejected) {
      promise ??= run();
      return promise.then(onFulfilled, onRejected);
    },
  };
}

/**
 * @internal Awaits every task, then throws the first failure: a fan-out never leaves steps running behind a failed
 * run (its compensation would miss their results).
 */
export async function settleAll<T>(tasks: readonly PromiseLike<T>[]): Promise<T[]> {
  const settled = await Promise.allSettled(tasks);
  const failed = settled.find((s): s is PromiseRejectedResult => s.status === "rejected");
  if (failed) throw failed.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<T>).value);
}

/** @internal Runs `fn` over `count` indexes with at most `concurrency` at once; stops taking new ones after a failure. */
export async function pool(
  count: number,
  concurrency: number,
  fn: (index: number) => Promise<void>,
): Promise<void> {
  let next = 0;
  let failed = false;
  const worker = async (): Promise<void> => {
    while (!failed && next < count) {
      const index = next++;
      try {
        await fn(index);
      } catch (error) {
        failed = true;
        throw error;
      }
    }
  };
  await settleAll(Array.from({ length: Math.min(concurrency, count) }, worker));
}
