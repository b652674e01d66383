import { cpSync, existsSync, readFileSync } from "node:fs";
import { dirname, join } from "node:path";

/**
 * Copies packages a node bundle leaves external (native addons such as `libsql`) into `<outDir>/node_modules`,
 * with their dependencies and those optional dependencies that `wantOptional` accepts (the prebuilt binary for
 * the deployment platform, e.g. `@libsql/linux-x64-gnu` for Lambda x86_64). Returns the packages copied.
 *
 * @example
 * ```ts
 * shipPackages(root, ["libsql"], ".skiff/build/lambda", (name) => name.endsWith("linux-x64-gnu"));
 * ```
 */
export function shipPackages(
  root: string,
  names: string[],
  outDir: string,
  wantOptional: (name: string) => boolean,
): string[] {
  const copied = new Set<string>();
  const visit = (name: string, from: string, optional: boolean) => {
    if (copied.has(name)) return;
    const dir = findPackage(name, from);
    if (!dir) {
      if (optional) return;
      throw new Error(`package "${name}" is not installed (needed at run time by the bundle)`);
    }
    copied.add(name);
    cpSync(dir, join(outDir, "node_modules", name), { recursive: true, dereference: true });
    const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8")) as {
      dependencies?: Record<string, string>;
      optionalDependencies?: Record<string, string>;
    };
    for (const dep of Object.keys(pkg.dependencies ?? {})) visit(dep, dir, false);
    for (const dep of Object.keys(pkg.optionalDependencies ?? {}))
      if (wantOptional(dep)) visit(dep, dir, true);
  };
  for (const name of names) visit(name, root, false);
  return [...copied];
}

function findPackage(name: string, from: string): string | undefined {
  for (let dir = from; ; dir = dirname(dir)) {
    const candidate = join(dir, "node_modules", name);
    if (existsSync(join(candidate, "package.json"))) return candidate;
    if (dirname(dir) === dir) return undefined;
  }
}
