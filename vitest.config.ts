import { defineConfig } from "vitest/config";

// One root config; each runtime is a project so `npm test` runs them all in one vitest invocation.
// `skiff-source` makes `import "skiff/..."` resolve to the TypeScript sources instead of dist/.
export default defineConfig({
  resolve: { conditions: ["skiff-source"] },
  ssr: { resolve: { conditions: ["skiff-source"] } },
  test: {
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
          exclude: ["test/adapters/cloudflare/workers/**", "node_modules/**"],
          environment: "node",
          testTimeout: 20_000,
          hookTimeout: 30_000,
        },
      },
      "test/adapters/cloudflare/workers/vitest.config.ts",
    ],
  },
});
