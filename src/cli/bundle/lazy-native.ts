import type { Plugin } from "esbuild";

const NAMESPACE = "skiff-lazy-native";

/**
 * An esbuild plugin for node bundles that loads what libSQL's client imports eagerly on first use instead of at
 * start-up: the native `libsql` addon (about 20 ms on Node 20) and the `ws` WebSocket library behind
 * `@libsql/isomorphic-ws` (it loads `node:https`, `node:tls` and `node:zlib`; about 10 ms). `@libsql/client` imports
 * both statically, and a bundle evaluates (or, for an external, hoists) every static import at start-up, so every
 * cold start paid for them, even in a function that never opens a `file:` database nor a WebSocket (on Lambda,
 * Turso is reached over HTTP). Each import is replaced by a stand-in whose constructor `require()`s the real module
 * when first called; the bundle's banner provides `require`. `specifier` is what is required for the addon at run
 * time (`libsql`, shipped beside the bundle, by default). `webSocket: "global"` (Lambda, whose Node has a global
 * `WebSocket`) leaves `ws` out of the bundle altogether and hands the client the runtime's own `WebSocket`.
 *
 * @example
 * ```ts
 * await build({ entryPoints: ["lambda.ts"], bundle: true, platform: "node", external: ["libsql"], plugins: [libsqlOnFirstUse()] });
 * ```
 */
export function libsqlOnFirstUse(
  specifier = "libsql",
  options: { webSocket?: "ws" | "global" } = {},
): Plugin {
  const webSocket = options.webSocket === "global" ? globalWebSocket : webSocketStandIn;
  return {
    name: "skiff-libsql-on-first-use",
    setup(build) {
      // Only the client's own import is replaced; `require("libsql")` in the stand-in stays an external require.
      build.onResolve({ filter: /^(libsql|@libsql\/isomorphic-ws)$/, namespace: "file" }, (args) =>
        args.kind === "import-statement"
          ? { path: args.path, namespace: NAMESPACE, pluginData: args.resolveDir }
          : undefined,
      );
      build.onLoad({ filter: /.*/, namespace: NAMESPACE }, (args) => ({
        loader: "js",
        // From the package that imported it, so `require("ws")` resolves to the copy the client would have used.
        resolveDir: args.pluginData as string,
        contents: args.path === "libsql" ? addonStandIn(specifier) : webSocket,
      }));
    },
  };
}

// `new Database(...)` returns the real addon's database: a constructor that returns an object yields that object.
function addonStandIn(specifier: string): string {
  return `let real;
const load = () => (real ??= require(${JSON.stringify(specifier)}));
function Database(...args) { return new (load())(...args); }
Object.defineProperty(Database, "SqliteError", { get: () => load().SqliteError });
export default Database;
`;
}

// hrana-client only constructs WebSockets; the readyState constants keep `WebSocket.OPEN` comparisons working.
const webSocketStandIn = `function WebSocket(...args) { return new (require("ws").WebSocket)(...args); }
Object.assign(WebSocket, { CONNECTING: 0, OPEN: 1, CLOSING: 2, CLOSED: 3 });
export { WebSocket };
`;

// The runtime's own WebSocket (Node 22 and later); where there is none, hrana-client says so when one is opened.
const globalWebSocket = `export const WebSocket = globalThis.WebSocket;
`;
