import { defineConfig } from "vitest/config";
import { OWN_PROCESS } from "./test/fake-clock-files.js";

// One root config; each runtime is a project so `npm test` runs them all in one vitest invocation.
// `skiff-source` makes `import "skiff/..."` resolve to the TypeScript sources instead of dist/.
export default defineConfig({
  resolve: { conditions: ["skiff-source"] },
  ssr: { resolve: { conditions: ["skiff-source"] } },
  test: {
    // CI has 2 cores, where vitest's default (cores - 1) runs one file at a time: most files wait on child processes,
    // servers and queues, so two at once keep both cores busy. VITEST_MAX_WORKERS overrides it.
    maxWorkers: 2,
    // The example app logs one JSON line per request, cron run and queue message: keep them out of the test
    // report unless SKIFF_TEST_LOGS=1 (assertions on logs use their own sinks).
    onConsoleLog: (log) => (process.env.SKIFF_TEST_LOGS ? undefined : !log.startsWith('{"time":')),
    projects: [
      {
        resolve: { conditions: ["skiff-source"] },
        ssr: { resolve: { conditions: ["skiff-source"] } },
        test: {
          name: "node",
          include: ["test/**/*.test.ts"],
          exclude: ["test/adapters/cloudflare/workers/**", "node_modules/**", ...OWN_PROCESS],
          environment: "node",
          // One worker process runs many files and keeps the modules they import: a fresh process per file cost
          // about 1 s of start-up and imports each (the file's tests then took 0.1 s). Test files therefore leave
          // no global state behind (fake timers, spies, env, listeners), as they already must for parallel runs.
          isolate: false,
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      {
        resolve: { conditions: ["skiff-source"] },
        ssr: { resolve: { conditions: ["skiff-source"] } },
        test: {
          // Files that fake the clock or use a platform library's global registry, each in a process of its own
          // (test/fake-clock-files.ts says why).
          name: "node-own-process",
          include: [...OWN_PROCESS],
          environment: "node",
          isolate: true,
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      "test/adapters/cloudflare/workers/vitest.config.ts",
    ],
  },
});
