import { rmSync } from "node:fs";
import { join } from "node:path";
import { outDir } from "./paths.js";

/** A fresh SQLite file under the scratch folder (old data, WAL and shared-memory files removed), as a `file:` URL. */
export function freshDatabase(name: string): string {
  const path = join(outDir("db"), `${name}.db`);
  for (const suffix of ["", "-wal", "-shm", "-journal"]) rmSync(path + suffix, { force: true });
  return `file:${path}`;
}
