/**
 * The test files that fake the clock (`vi.useFakeTimers`). They run in a vitest project of their own, one process
 * per file: every other file shares worker processes, and a timer one of them left behind (a retry back-off, a poll)
 * would fire on the fake clock and spin through the days these tests skip. test/repo/fake-clock.test.ts keeps this
 * list complete.
 *
 * @example
 * ```ts
 * export default defineConfig({ test: { projects: [{ test: { include: [...OWN_PROCESS], isolate: true } }] } });
 * ```
 */
export const FAKE_CLOCK: readonly string[] = [
  "test/core/cron-registered.test.ts",
  "test/middleware/jwt-clock-skew.test.ts",
  "test/adapters/node/serve.test.ts",
];

/**
 * Test files that register functions with a platform library's process-wide registry (`@azure/functions`' `app`,
 * the Functions Framework's `http()`/`cloudEvent()`): in a shared worker, one file's registrations would answer
 * another file's invocations, so each of these files gets a process of its own too.
 *
 * @example
 * ```ts
 * const ownProcess = [...FAKE_CLOCK, ...PLATFORM_REGISTRIES];
 * ```
 */
export const PLATFORM_REGISTRIES: readonly string[] = [
  "test/adapters/azure/**/*.test.ts",
  "test/adapters/gcp/**/*.test.ts",
];

/**
 * Every pattern of the files that run one process per file.
 *
 * @example
 * ```ts
 * defineConfig({ test: { exclude: [...OWN_PROCESS] } });
 * ```
 */
export const OWN_PROCESS: readonly string[] = [...FAKE_CLOCK, ...PLATFORM_REGISTRIES];
