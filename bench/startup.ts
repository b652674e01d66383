import type { MiniflareOptions } from "miniflare";
import { lambdaBundle, workerBundle, type Bundle } from "./lib/bundle.js";
import { has, notYet, type Piece } from "./lib/paths.js";
import { progress, runComparison } from "./lib/report.js";
import { alternate, fmt, median, spread } from "./lib/stats.js";
import { table } from "./lib/table.js";
import { coldLambda } from "./startup/lambda.js";
import { coldWorkerd, SHOP_BINDINGS } from "./startup/workerd.js";

// Goal 3: cold start. A fresh Node process importing a Lambda bundle, and a fresh workerd (Miniflare) with a
// Worker bundle, each timed to its first response, skiff against the same app on Hono.
const ROUNDS = {
  lambda: Number(process.env.BENCH_STARTUP_ROUNDS ?? 15),
  workerd: Number(process.env.BENCH_WORKERD_ROUNDS ?? 11),
};

interface Pair {
  kind: "lambda" | "workerd";
  name: string;
  skiff: string;
  hono: string;
  needs: Piece[];
  miniflare?: Partial<MiniflareOptions>;
  /** Measured to explain the others (its "skiff" side is another Hono Worker), never counted in the goal. */
  probe?: true;
}

const PAIRS: Pair[] = [
  {
    kind: "lambda",
    name: "hello world",
    skiff: "bench/fixtures/skiff-hello-lambda.ts",
    hono: "bench/fixtures/hono-hello-lambda.ts",
    needs: ["lambda"],
  },
  {
    kind: "lambda",
    name: "shop",
    skiff: "examples/shop/lambda.ts",
    hono: "bench/fixtures/hono-shop/lambda.ts",
    needs: ["lambda", "shopLambda"],
  },
  {
    kind: "workerd",
    name: "hello world",
    skiff: "bench/fixtures/skiff-hello-worker.ts",
    hono: "bench/fixtures/hono-hello-worker.ts",
    needs: ["cloudflare"],
  },
  {
    kind: "workerd",
    name: "shop",
    skiff: "examples/shop/worker.ts",
    hono: "bench/fixtures/hono-shop/worker.ts",
    needs: ["cloudflare", "shopWorker"],
    miniflare: SHOP_BINDINGS,
  },
  {
    kind: "workerd",
    name: "probe: Hono hello + an unused libSQL client",
    skiff: "bench/fixtures/hono-hello-libsql-worker.ts",
    hono: "bench/fixtures/hono-hello-worker.ts",
    needs: ["cloudflare"],
    probe: true,
  },
];
const LABEL = { lambda: "Lambda (fresh node)", workerd: "workerd (new Miniflare)" };

await runComparison("3. Start-up: time to first response", async (out) => {
  const rows: string[][] = [];
  const ratios: number[] = [];
  const figures: string[] = [];
  const withBoot: string[] = [];
  for (const pair of PAIRS) {
    const label = `${LABEL[pair.kind]} ${pair.name}`;
    const missing = pair.needs.find((p) => !has(p));
    if (missing) {
      rows.push([label, "—", "—", "—", notYet(missing)]);
      out.skip(`start-up: ${label} ≤ 1.2× Hono`, notYet(missing));
      continue;
    }
    const build = pair.kind === "lambda" ? lambdaBundle : workerBundle;
    const slug = `${pair.kind}-${pair.name.replace(/\W+/g, "-")}`;
    const bundles: Record<"skiff" | "hono", Bundle> = {
      skiff: await build(pair.skiff, `${slug}-skiff`),
      hono: await build(pair.hono, `${slug}-hono`),
    };
    const boot = { skiff: [] as number[], hono: [] as number[] };
    const measure = async (who: "skiff" | "hono") => {
      if (pair.kind === "workerd") return coldWorkerd(bundles[who], pair.miniflare);
      const t = await coldLambda(bundles[who]);
      boot[who].push(t.processMs);
      return t.firstMs;
    };
    progress(`${label}: ${ROUNDS[pair.kind]} rounds`);
    await measure("skiff"); // the first of each pays for the OS file cache: discard it
    await measure("hono");
    boot.skiff.length = boot.hono.length = 0;
    const s = await alternate(["skiff", "hono"] as const, ROUNDS[pair.kind], measure);
    const r = median(s.skiff) / median(s.hono);
    if (!pair.probe) {
      ratios.push(r);
      figures.push(`${label} ${fmt.ratio(r)}`);
    }
    const cell = (v: number[]) => `${fmt.ms(median(v))} ${fmt.pct(spread(v))}`;
    rows.push([
      label,
      cell(s.skiff),
      cell(s.hono),
      fmt.ratio(r),
      `bundles ${fmt.kb(bundles.skiff.bytes)} vs ${fmt.kb(bundles.hono.bytes)}`,
    ]);
    if (pair.kind === "lambda")
      withBoot.push(
        `${pair.name} ${fmt.ms(median(boot.skiff))} vs ${fmt.ms(median(boot.hono))} (${fmt.ratio(median(boot.skiff) / median(boot.hono))})`,
      );
  }
  out.add(
    table(["cold start → first response (median)", "skiff", "Hono", "skiff/Hono", "note"], rows, [
      "l",
      "r",
      "r",
      "r",
      "l",
    ]),
  );
  out.note(
    `Lambda: ${ROUNDS.lambda} fresh \`node\` processes per contender, alternating, each importing its esbuild bundle (ESM, minified, native libsql external) and answering one v2 \`GET /\`; ` +
      `the figure is import + first response. With Node's own boot: ${withBoot.join("; ") || "n/a"}. ` +
      `workerd: ${ROUNDS.workerd} × \`new Miniflare({ modules: true, script })\` → first \`dispatchFetch\`, which includes starting workerd itself. ` +
      "The probe row (not a goal) is Hono's hello world with a libSQL client it never creates, against Hono's hello world: code that is only loaded, never run, costs start-up in proportion to its size, which is what limits skiff's start-up (its bundles are the sizes in section 2).",
  );
  if (ratios.length)
    out.atMost("start-up: skiff ≤ 1.1× Hono (every pair)", Math.max(...ratios), 1.1, figures.join(" / "));
});
