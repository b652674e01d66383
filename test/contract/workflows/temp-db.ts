import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

// Memory-backed when the machine has /dev/shm: a 1,000-way fan-out commits thousands of small transactions, and on a
// shared disk each commit's fsync costs more than the engine's own work (it doubled the Node fan-out's time here).
// The suite tests the engine and the platforms' paths, not the disk's durability.
const ROOT = existsSync("/dev/shm") ? "/dev/shm" : tmpdir();

/** A fresh libSQL file for one driver (so each test process starts from an empty journal) and its removal. */
export function workflowDb(name: string): { url: string; remove(): void } {
  const dir = mkdtempSync(join(ROOT, `${name}-`));
  return {
    url: `file:${join(dir, "test.db")}`,
    remove: () => rmSync(dir, { recursive: true, force: true }),
  };
}
