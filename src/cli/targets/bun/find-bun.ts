import { existsSync, readdirSync } from "node:fs";
import { delimiter, join } from "node:path";

/**
 * The `bun` executable `skiff build --target bun` compiles the single binary with: the project's own (the
 * `@oven/bun-<platform>-<arch>` package `npm install bun` brings, so the version is the one the project pins), else
 * `bun` on `PATH`; undefined when there is none.
 *
 * @example
 * ```ts
 * findBun("/srv/shop"); // "/srv/shop/node_modules/@oven/bun-linux-x64/bin/bun"
 * ```
 */
export function findBun(root: string, path: string = process.env.PATH ?? ""): string | undefined {
  const exe = process.platform === "win32" ? "bun.exe" : "bun";
  const oven = join(root, "node_modules", "@oven");
  if (existsSync(oven)) {
    const prefix = `bun-${process.platform}-${process.arch}`;
    // The plain build before -baseline and -musl variants, when several are installed.
    for (const name of readdirSync(oven)
      .filter((n) => n.startsWith(prefix))
      .sort((a, b) => a.length - b.length)) {
      const candidate = join(oven, name, "bin", exe);
      if (existsSync(candidate)) return candidate;
    }
  }
  for (const dir of path.split(delimiter).filter(Boolean)) {
    const candidate = join(dir, exe);
    if (existsSync(candidate)) return candidate;
  }
  return undefined;
}
