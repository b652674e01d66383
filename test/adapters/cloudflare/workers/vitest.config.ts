import { cloudflareTest } from "@cloudflare/vitest-pool-workers";
import { defineProject } from "vitest/config";

// The Workers project: tests run inside workerd (Miniflare) with the bindings of the repository's wrangler.toml,
// so the shipped config itself is under test. Overrides below only make queues deliver at once and add the
// contract driver's own queues (no consumer), so its recorded sends are not consumed behind its back.
// https://developers.cloudflare.com/workers/testing/vitest-integration/configuration/
// Vitest roots a project given by file at that file's folder: paths below are relative to test/adapters/cloudflare/workers.
export default defineProject({
  plugins: [
    cloudflareTest(({ inject }) => ({
      wrangler: { configPath: "../../../../wrangler.toml" },
      miniflare: {
        // The contract's admin key: sha256("contract-key") (test/contract/driver.ts).
        bindings: {
          TURSO_DATABASE_URL: inject("tursoUrl"),
          SHOP_API_KEY_SHA256: "a68e57a052aa22758f75bd93aa57dbaea91ac1f01c932e25ac7c6e9d1dd5c46f",
        },
        queueProducers: {
          CONTRACT_ORDERS: { queueName: "contract-orders" },
          CONTRACT_ORDERS_DLQ: { queueName: "contract-orders-dlq" },
        },
        queueConsumers: {
          orders: { maxBatchSize: 10, maxBatchTimeout: 0, maxRetries: 2, deadLetterQueue: "orders-dlq" },
          "orders-dlq": { maxBatchSize: 10, maxBatchTimeout: 0, maxRetries: 3 },
        },
      },
    })),
  ],
  // Vite's SSR environment (where the pool resolves modules) keeps its own conditions, and the plugin only adds
  // workerd's to the top-level ones: without them @libsql/isomorphic-ws resolves to Node's `ws`.
  resolve: { conditions: ["skiff-source"] },
  ssr: { resolve: { conditions: ["skiff-source", "workerd", "worker", "module", "browser"] } },
  test: {
    name: "workers",
    include: ["**/*.test.ts"],
    globalSetup: ["./global-setup.ts"],
    // One workerd (Miniflare) serves every file instead of one started per file (5-10 s each on 2 cores). The files
    // share its KV and queues, so each uses its own keys and queues (as they share the global setup's database).
    isolate: false,
    testTimeout: 20_000,
    hookTimeout: 30_000,
  },
});
