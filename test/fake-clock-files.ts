/**
 * The test files that fake the clock (`vi.useFakeTimers`). They run in a vitest project of their own, one process
 * per file: every other file shares worker processes, and a timer one of them left behind (a retry back-off, a poll)
 * would fire on the fake clock and spin through the days these tests skip. test/repo/fake-clock.test.ts keeps this
 * list complete.
 *
 * @example
 * ```ts
 * export default defineConfig({ test: { projects: [{ test: { include: FAKE_CLOCK, isolate: true } }] } });
 * ```
 */
export const FAKE_CLOCK: readonly string[] = [
  "test/core/cron-registered.test.ts",
  "test/middleware/jwt-clock-skew.test.ts",
  "test/adapters/node/serve.test.ts",
];
