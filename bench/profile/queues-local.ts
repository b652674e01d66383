import { runComparison } from "../lib/report.js";
import { localQueue } from "../queues/local.js";

// Section 5's local durable queue table alone (without the Miniflare Workers wrapper), printed, never written to
// bench/RESULTS.md: an A/B against an older tree (copy this file into `git archive <commit>`'s bench/profile/).
//   TMPDIR=/tmp/mine BENCH_ROUNDS=3 node --conditions=skiff-source --import tsx bench/profile/queues-local.ts
await runComparison("5. Queues (local durable queue only)", localQueue);
