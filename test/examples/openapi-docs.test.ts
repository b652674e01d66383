import { existsSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { chromium, type BrowserContext, type Page } from "playwright-core";
import { serve, type SkiffServer } from "skiff/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { app } from "../../examples/shop/app.js";
import { tempDbUrl } from "../contract/node-driver.js";

// The shop's interactive reference (/docs) in a real headless Chromium against the shop on Node: the page renders
// every operation from /openapi.json, sends requests from "Try it", and loads nothing from anywhere but the app.

const CHROMIUM = "/usr/bin/chromium";
const KEY = "docs-test-key";

async function sha256Hex(text: string): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text));
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

describe.skipIf(!existsSync(CHROMIUM))(
  "the shop's API reference in a browser (needs /usr/bin/chromium)",
  () => {
    let server: SkiffServer;
    let context: BrowserContext;
    let page: Page;
    let profile: string;
    const elsewhere: string[] = [];
    const pageErrors: string[] = [];

    beforeAll(async () => {
      server = await serve(app, {
        port: 0,
        hostname: "127.0.0.1",
        env: { SHOP_API_KEY_SHA256: await sha256Hex(KEY) },
        database: { url: tempDbUrl("shop-docs") },
        scheduler: false,
        queues: false,
        handleSignals: false,
      });
      profile = mkdtempSync(join(tmpdir(), "skiff-chromium-"));
      context = await chromium.launchPersistentContext(profile, {
        executablePath: CHROMIUM,
        headless: true,
        args: [
          "--headless",
          "--no-sandbox",
          "--disable-gpu",
          "--disable-quic",
          "--no-first-run",
          "--disable-background-networking",
          "--disable-component-update",
          "--disable-sync",
        ],
        timeout: 30_000,
      });
      // Anything not served by the app is refused and remembered: the page must not need a CDN.
      await context.route("**/*", (route) => {
        const url = new URL(route.request().url());
        if (url.origin === server.url) return route.continue();
        elsewhere.push(url.href);
        return route.abort();
      });
      page = context.pages()[0] ?? (await context.newPage());
      page.on("pageerror", (error) => pageErrors.push(error.message));
      page.on("console", (message) => {
        if (message.type() === "error") pageErrors.push(message.text());
      });
    }, 60_000);

    afterAll(async () => {
      await context?.close();
      await server?.close();
      if (profile) rmSync(profile, { recursive: true, force: true });
    });

    it("renders every operation of /openapi.json, with a strict CSP and nothing loaded from elsewhere", async () => {
      const response = await page.goto(`${server.url}/docs`);
      expect(response?.status()).toBe(200);
      expect(response?.headers()["content-security-policy"]).toMatch(
        /default-src 'none'; script-src 'nonce-[^']+'/,
      );
      await page.waitForSelector("#skiff-docs[data-ready='true']", { timeout: 15_000 });
      const doc = (await (await fetch(`${server.url}/openapi.json`)).json()) as {
        paths: Record<string, object>;
      };
      const operations = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
      expect(await page.locator("details.op").count()).toBe(operations);
      await expect.poll(() => page.locator("h1").textContent()).toBe("skiff shop");
      const users = page.locator("#getApiUsers > summary");
      expect(await users.textContent()).toContain("GET/api/users");
      expect(await page.locator("#postApiOrders .lock").count()).toBe(1); // needs the API key
      expect(elsewhere).toEqual([]);
      expect(pageErrors).toEqual([]);
    }, 30_000);

    it("sends requests from Try it: a public GET, and a POST with the API key typed in", async () => {
      await page.locator("#getApiUsers > summary").click();
      await page.locator("#getApiUsers button.send").click();
      const status = page.locator("#getApiUsers .result .status");
      await status.waitFor({ timeout: 10_000 });
      expect(await status.getAttribute("data-status")).toBe("200");
      expect(await page.locator("#getApiUsers .result pre").textContent()).toContain('"users": []');

      await page.locator("input[name='credential-apiKey']").fill(KEY);
      await page.locator("#postApiUsers > summary").click();
      const body = page.locator("#postApiUsers textarea");
      expect(JSON.parse(await body.inputValue())).toEqual({ email: "user@example.com", name: "string" });
      await body.fill(JSON.stringify({ email: "ada@example.com", name: "Ada" }));
      await page.locator("#postApiUsers button.send").click();
      const created = page.locator("#postApiUsers .result .status");
      await created.waitFor({ timeout: 10_000 });
      expect(await created.getAttribute("data-status")).toBe("201");
      expect(await page.locator("#postApiUsers .result pre").textContent()).toContain(
        '"email": "ada@example.com"',
      );
      expect(elsewhere).toEqual([]);
      expect(pageErrors).toEqual([]);
    }, 30_000);
  },
);
