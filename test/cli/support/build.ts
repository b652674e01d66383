import { execFile } from "node:child_process";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { promisify } from "node:util";

/** Shared by the build and check tests: paths, the two apps built, and a fresh temp directory per test file. */

export const run = promisify(execFile);
export const repo = fileURLToPath(new URL("../../..", import.meta.url));
export const fixtures = fileURLToPath(new URL("../fixtures", import.meta.url));
export const basic = { root: `${fixtures}/basic`, app: "app.ts" };
export const shop = { root: repo, app: "examples/shop/app.ts" };
// A function, not a constant: test files share worker processes (and so this module), and each file removes its own
// directory when it ends, which must never be another file's.
export const scratchDir = (): string => mkdtempSync(join(tmpdir(), "skiff-cli-build-"));
