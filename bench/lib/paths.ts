import { existsSync, mkdirSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";

/** The repository root, so scripts work from any working directory. */
export const ROOT = fileURLToPath(new URL("../..", import.meta.url));

/** Scratch space for bundles, databases and per-comparison JSON: outside the checkout, so nothing there is tracked or formatted. */
export const OUT = join(tmpdir(), "skiff-bench");

/** Absolute path of a repository file. */
export const fromRoot = (relative: string): string => join(ROOT, relative);

/** Creates (once) and returns a folder under {@link OUT}. */
export function outDir(name = ""): string {
  const dir = join(OUT, name);
  mkdirSync(dir, { recursive: true });
  return dir;
}

/**
 * Pieces other engineers are still building. A comparison that needs one checks it here and reports
 * "not available yet" instead of failing, so `npm run bench` runs at every stage of the project.
 */
export const PIECES = {
  cloudflare: "src/adapters/cloudflare/index.ts",
  lambda: "src/adapters/lambda/index.ts",
  logger: "middleware/logger/index.ts",
  shopWorker: "examples/shop/worker.ts",
  shopLambda: "examples/shop/lambda.ts",
} as const;

export type Piece = keyof typeof PIECES;

/** Whether a piece exists in the checkout right now. */
export const has = (piece: Piece): boolean => existsSync(fromRoot(PIECES[piece]));

/** The line printed in place of a comparison whose piece is missing. */
export const notYet = (piece: Piece): string => `not available yet: \`${PIECES[piece]}\` does not exist`;
