import type { ApiKeyEntry } from "skiff/middleware";

/**
 * Who may write to the shop: one admin key, configured only as its SHA-256 hex digest in `SHOP_API_KEY_SHA256`
 * (a secret: `wrangler secret put SHOP_API_KEY_SHA256`, a Lambda/Vercel env var). Without it every write is
 * refused as a configuration error — the example never falls back to an open door.
 */
export function shopKeys(env: Record<string, unknown>): ApiKeyEntry[] {
  const hash = env.SHOP_API_KEY_SHA256;
  return typeof hash === "string" && hash ? [{ id: "shop-admin", hash, scopes: ["shop:write"] }] : [];
}

/** The key `npm start` and `npm run dev:worker` accept, for local development only. */
export const DEV_API_KEY = "dev-key";
/** sha256("dev-key") */
export const DEV_API_KEY_SHA256 = "7e9f8fd111802be56c379d597842e29b2cebd35ff2133d431a49fa556a18704e";
