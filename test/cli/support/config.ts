import { fileURLToPath } from "node:url";
import { describeApp, type AppManifest } from "../../../src/cli/app/manifest.js";
import { loadApp } from "../../../src/cli/app/load.js";
import { resolveProject } from "../../../src/cli/project.js";

/** Shared by the CLI config tests (manifest, wrangler check, SAM template): paths and the app manifest. */

export const repo = fileURLToPath(new URL("../../..", import.meta.url));
export const fixtures = fileURLToPath(new URL("../fixtures", import.meta.url));
export const NOW = new Date("2026-01-01T10:00:00Z");

export async function manifestOf(root: string, app: string): Promise<AppManifest> {
  return describeApp(await loadApp(resolveProject({ root, app })), NOW);
}

export type Json = Record<string, unknown>;
export const at = (value: unknown, ...path: string[]): unknown =>
  path.reduce<unknown>((v, key) => (v as Json | undefined)?.[key], value);
