import { defineConfig } from "vitest/config";
import { FiguresReporter } from "./reporter.js";

// `npm run test:torture`: hostile inputs, crash injection and concurrency against real servers and processes.
// Sizes are bounded so the whole run stays within a few minutes on 2 cores; files run one at a time so the
// figures are not distorted by each other.
export default defineConfig({
  resolve: { conditions: ["skiff-source"] },
  ssr: { resolve: { conditions: ["skiff-source"] } },
  test: {
    name: "torture",
    root: new URL("../..", import.meta.url).pathname,
    include: ["test/torture/**/*.torture.ts"],
    environment: "node",
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 60_000,
    reporters: ["default", new FiguresReporter()],
    onConsoleLog: (log) => (process.env.SKIFF_TEST_LOGS ? undefined : !log.startsWith('{"time":')),
  },
});
