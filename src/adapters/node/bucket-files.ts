import { mkdir, readFile, readdir, rename, rm, stat, writeFile } from "node:fs/promises";
import { dirname, join, relative, resolve, sep } from "node:path";
import { randomUUID } from "node:crypto";
import type { ObjectFiles } from "../../bindings/buckets/local.js";
import { SkiffError } from "../../errors.js";

// A file being written, renamed into place once complete; never listed.
const TEMPORARY = ".skiff-partial-";
const TEMPORARY_NAME = /\.skiff-partial-[0-9a-f-]{36}$/;

/**
 * The {@link ObjectFiles} of local buckets on `node:fs`, below `root` (`<projectDir>/.skiff/buckets` for `serve()`).
 * Every path is resolved and checked to stay below `root` (the bucket layer already refuses `..` segments: this is
 * the second lock), and files are written to a temporary name and renamed, so a reader never sees half a file.
 *
 * @example
 * ```ts
 * const files = nodeObjectFiles("/srv/shop/.skiff/buckets");
 * await files.write("uploads/a.txt", new TextEncoder().encode("hi"));
 * ```
 */
export function nodeObjectFiles(root: string): ObjectFiles {
  const base = resolve(root);
  const inside = (path: string) => {
    const full = resolve(base, path);
    if (full !== base && !full.startsWith(base + sep))
      throw new SkiffError(`local bucket path "${path}" leaves ${base}`);
    return full;
  };
  const missing = (error: unknown) => (error as NodeJS.ErrnoException).code === "ENOENT";
  return {
    async read(path) {
      try {
        return new Uint8Array(await readFile(inside(path)));
      } catch (error) {
        if (missing(error) || (error as NodeJS.ErrnoException).code === "EISDIR") return null;
        if ((error as NodeJS.ErrnoException).code === "ENOTDIR") return null;
        throw error;
      }
    },
    async write(path, data) {
      const full = inside(path);
      const temporary = `${full}${TEMPORARY}${randomUUID()}`;
      try {
        await mkdir(dirname(full), { recursive: true });
        await writeFile(temporary, data);
        await rename(temporary, full);
      } catch (error) {
        await rm(temporary, { force: true }).catch(() => undefined);
        const code = (error as NodeJS.ErrnoException).code;
        if (code === "ENOTDIR" || code === "EEXIST" || code === "EISDIR")
          throw new SkiffError(
            `local bucket: cannot write "${path}": a key that is a folder of another key (a and a/b) cannot both be local files`,
            { cause: error },
          );
        throw error;
      }
    },
    async remove(path) {
      await rm(inside(path), { force: true });
    },
    async list(dir) {
      const top = inside(dir);
      try {
        if (!(await stat(top)).isDirectory()) return [];
      } catch (error) {
        if (missing(error)) return [];
        throw error;
      }
      const entries = await readdir(top, { recursive: true, withFileTypes: true });
      return (
        entries
          .filter((e) => e.isFile() && !TEMPORARY_NAME.test(e.name))
          // parentPath from Node 20.12 (and 18.20); path before it.
          .map((e) => {
            const parent = (e as { parentPath?: string }).parentPath ?? (e as { path?: string }).path ?? top;
            return relative(top, join(parent, e.name)).split(sep).join("/");
          })
      );
    },
  };
}
