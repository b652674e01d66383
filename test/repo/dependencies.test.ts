import { readdirSync, readFileSync } from "node:fs";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import ts from "typescript";
import { describe, expect, it } from "vitest";

// What a user installs is `dependencies` (and provides `peerDependencies`); what it runs is src/ and middleware/
// (the CLI included, it ships as source). The two must match: a dependency nothing imports is weight for every
// user, and an import of a dev dependency works here and fails in a user's project.
const repo = fileURLToPath(new URL("../..", import.meta.url));
const pkg = JSON.parse(readFileSync(join(repo, "package.json"), "utf8")) as {
  name: string;
  dependencies?: Record<string, string>;
  peerDependencies?: Record<string, string>;
  bin?: Record<string, string>;
};
const SHIPPED_DIRS = ["src", "middleware"];
const CODE = /\.(ts|mts|cts|js|mjs|cjs)$/;
const NOT_SHIPPED = /(\.test\.|\.d\.ts$|(^|\/)__tests__\/)/;
// Modules the runtime itself provides.
const PLATFORM = /^(node|cloudflare):/;

function shippedFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === "node_modules" ? [] : shippedFiles(path);
    return CODE.test(entry.name) && !NOT_SHIPPED.test(relative(repo, path)) ? [path] : [];
  });
}

/** Every module specifier a file names: static and dynamic imports, re-exports, `import()` types, require(), import.meta.resolve(). */
function specifiers(file: string): string[] {
  const source = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const literal = (node: ts.Node | undefined) => {
    if (node && ts.isStringLiteralLike(node)) found.push(node.text);
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) literal(node.moduleSpecifier);
    else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference))
      literal(node.moduleReference.expression);
    else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) literal(node.argument.literal);
    else if (ts.isCallExpression(node)) {
      const callee = node.expression;
      const isImport = callee.kind === ts.SyntaxKind.ImportKeyword;
      const isRequire = ts.isIdentifier(callee) && callee.text === "require";
      const isResolve =
        ts.isPropertyAccessExpression(callee) &&
        callee.name.text === "resolve" &&
        ts.isMetaProperty(callee.expression);
      if (isImport || isRequire || isResolve) literal(node.arguments[0]);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

const packageOf = (specifier: string): string =>
  specifier.startsWith("@")
    ? specifier.split("/").slice(0, 2).join("/")
    : (specifier.split("/")[0] ?? specifier);
const isBare = (specifier: string) => !specifier.startsWith(".") && !specifier.startsWith("/");

const files = SHIPPED_DIRS.flatMap((dir) => shippedFiles(join(repo, dir)));
/** package name → the shipped files that import it */
const imported = new Map<string, string[]>();
for (const file of files) {
  for (const specifier of specifiers(file)) {
    if (!isBare(specifier) || PLATFORM.test(specifier)) continue;
    const name = packageOf(specifier);
    imported.set(name, [...(imported.get(name) ?? []), relative(repo, file)]);
  }
}

describe("package.json dependencies match what the shipped code imports", () => {
  it("finds the shipped code (src/, middleware/, the CLI and its bin)", () => {
    expect(files.length).toBeGreaterThan(50);
    const relativeFiles = files.map((file) => relative(repo, file));
    expect(relativeFiles).toContain("src/index.ts");
    expect(relativeFiles).toContain("middleware/index.ts");
    for (const bin of Object.values(pkg.bin ?? {})) expect(relativeFiles).toContain(bin);
    expect(imported.get("hono")?.length).toBeGreaterThan(0);
  });

  it("imports every runtime dependency somewhere in shipped code", () => {
    const unused = Object.keys(pkg.dependencies ?? {}).filter((name) => !imported.has(name));
    expect(unused, "dependencies no shipped file imports: move them to devDependencies or drop them").toEqual(
      [],
    );
  });

  it("imports only dependencies, peer dependencies, the package itself and platform built-ins", () => {
    const declared = new Set([
      pkg.name,
      ...Object.keys(pkg.dependencies ?? {}),
      ...Object.keys(pkg.peerDependencies ?? {}),
    ]);
    const undeclared = [...imported]
      .filter(([name]) => !declared.has(name))
      .map(([name, by]) => `${name} (imported by ${[...new Set(by)].join(", ")})`);
    expect(undeclared, "bare imports in shipped code that a user's install would not have").toEqual([]);
  });

  it("keeps hono a peer dependency with a range, never also a dependency", () => {
    expect(pkg.dependencies?.hono).toBeUndefined();
    expect(pkg.peerDependencies?.hono).toMatch(/^[\^~>]/);
  });
});
