import type { Context } from "hono";
import { withOpenApi } from "./_meta.js";
import { DOCS_SCRIPT } from "./docs-script.js";

/**
 * Options of {@link apiReference}: where the OpenAPI document is served and the page's title.
 *
 * @example
 * ```ts
 * const options: ApiReferenceOptions = { url: "/openapi.json", title: "Shop API" };
 * ```
 */
export interface ApiReferenceOptions {
  /** The document's URL, relative to the page's origin. Default `/openapi.json`. */
  url?: string;
  title?: string;
}

const STYLE = `
:root { color-scheme: light dark; --line: #8884; --muted: #8889; font: 15px/1.5 system-ui, sans-serif; }
body { margin: 0 auto; max-width: 60rem; padding: 1.5rem; }
header { display: flex; align-items: baseline; gap: .75rem; } h1 { margin: 0; } .version { color: var(--muted); }
h2 { margin-top: 2rem; text-transform: capitalize; } h4 { margin: 1rem 0 .25rem; }
details.op { border: 1px solid var(--line); border-radius: .5rem; margin: .5rem 0; padding: .25rem .75rem; }
details.op > summary { cursor: pointer; display: flex; gap: .75rem; align-items: center; padding: .25rem 0; }
.method { font: 600 .75rem/1 ui-monospace, monospace; padding: .3rem .5rem; border-radius: .25rem; color: #fff; min-width: 3.5rem; text-align: center; }
.get { background: #2563eb; } .post { background: #16a34a; } .put, .patch { background: #d97706; } .delete { background: #dc2626; } .options, .head, .trace { background: #6b7280; }
.path { font-weight: 600; } .summary { color: var(--muted); } .lock { margin-left: auto; font-size: .75rem; color: var(--muted); }
table.params { border-collapse: collapse; width: 100%; } .params td, .params th { border-bottom: 1px solid var(--line); padding: .25rem .5rem; text-align: left; }
pre { background: #8881; padding: .5rem; border-radius: .25rem; overflow: auto; font-size: .8rem; }
ul.responses { list-style: none; padding: 0; } .status { font: 600 .8rem ui-monospace, monospace; }
.s2 { color: #16a34a; } .s3 { color: #2563eb; } .s4 { color: #d97706; } .s5 { color: #dc2626; }
.try label, .auth label { display: grid; grid-template-columns: 14rem 1fr; gap: .5rem; margin: .25rem 0; }
.try input, .try textarea, .auth input { font: .85rem ui-monospace, monospace; padding: .25rem; }
button.send { margin: .5rem 0; padding: .4rem .8rem; cursor: pointer; }
`;

const escapeHtml = (text: string) => text.replace(/[&<>"']/g, (ch) => `&#${ch.charCodeAt(0)};`);
// JSON inside <script> must not close the element or open a comment.
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, "\\u003c");

function nonce(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes));
}

/**
 * A handler that serves an interactive API reference: one self-contained HTML page (its script and styles inline,
 * nothing loaded from a CDN, so it works offline and behind any firewall) that reads the app's OpenAPI document,
 * lists every operation with its parameters, bodies and responses, and sends "Try it" requests to the same origin.
 * A strict Content-Security-Policy with a per-response nonce allows nothing else. Not in the document itself.
 *
 * @example
 * ```ts
 * app.get("/openapi.json", openapi(app, { info: { title: "Shop", version: "1.0.0" } }));
 * app.get("/docs", apiReference({ url: "/openapi.json", title: "Shop API" }));
 * ```
 */
export function apiReference(options: ApiReferenceOptions = {}): (c: Context) => Response {
  const url = options.url ?? "/openapi.json";
  const title = options.title ?? "API reference";
  const handler = function apiReference(c: Context): Response {
    const n = nonce();
    const html = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title><style nonce="${n}">${STYLE}</style></head>
<body><main id="skiff-docs" aria-busy="true">Loading ${escapeHtml(url)}…</main>
<script type="application/json" id="skiff-docs-config">${scriptJson({ url })}</script>
<script nonce="${n}">${DOCS_SCRIPT}</script></body></html>`;
    c.header(
      "content-security-policy",
      `default-src 'none'; script-src 'nonce-${n}'; style-src 'nonce-${n}'; connect-src 'self'; img-src data:; base-uri 'none'; form-action 'none'; frame-ancestors 'none'`,
    );
    c.header("x-content-type-options", "nosniff");
    return c.html(html);
  };
  return withOpenApi(handler, { kind: "describe", description: { hide: true } });
}
