/// <reference lib="dom" />
// Callbacks given to page.evaluate run in the browser, with its DOM.
import { existsSync } from 'node:fs';
import { createServer, Server } from 'node:http';
import { AddressInfo } from 'node:net';
import { join } from 'node:path';
import axe from 'axe-core';
import { Browser, BrowserContext, Page } from 'playwright-core';
import { webDist } from '../../../src/web/web-pages';
import { SECRET } from '../../support/access-fixture';
import { startTestApp, TestApp } from '../../support/test-app';
import { launchBrowser } from './browser';

/** The service listening on a port (the pages need a real origin), with a browser. */
export interface PageHarness {
  t: TestApp;
  base: string;
  browser: Browser;
  close(): Promise<void>;
}

export async function startPageHarness(): Promise<PageHarness> {
  // The pages are built by `npm test` (and `npm start`) before jest runs; without them every
  // page would answer 503, so say what to do rather than fail obscurely.
  if (!existsSync(join(webDist(), 'index.html'))) throw new Error(`The pages are not built (${webDist()}): run npm run web:build, or npm test`);
  const t = await startTestApp();
  await t.app.listen(0, '127.0.0.1');
  const { port } = t.app.getHttpServer().address() as AddressInfo;
  const browser = await launchBrowser();
  return {
    t,
    base: `http://127.0.0.1:${port}`,
    browser,
    async close() {
      await browser.close();
      await t.close();
    },
  };
}

/** A page opened as a visitor: every request to anything but `allowed` origins is blocked (and
 * recorded), console errors and uncaught exceptions are recorded, and so is every response body
 * the page fetched from the service. */
export interface Visit {
  page: Page;
  context: BrowserContext;
  consoleErrors: string[];
  blocked: string[];
  bodies: Map<string, string>;
  /** The requests to the service that carried an Authorization header, as `<page URL> -> <URL>`. */
  authorized: string[];
  /** Waits for the page's requests to finish, then answers what it fetched. */
  fetched(): Promise<string[]>;
  close(): Promise<void>;
}

export async function visit(h: PageHarness, path: string, options: { viewport?: { width: number; height: number }; allowed?: string[]; locale?: string } = {}): Promise<Visit> {
  const context = await h.browser.newContext({ viewport: options.viewport ?? { width: 1280, height: 900 }, locale: options.locale });
  const allowed = [h.base, ...(options.allowed ?? [])];
  const consoleErrors: string[] = [];
  const blocked: string[] = [];
  const bodies = new Map<string, string>();
  const authorized: string[] = [];
  const pending = new Set<Promise<void>>();
  await context.route('**/*', (route) => {
    const url = route.request().url();
    if (allowed.some((origin) => url === origin || url.startsWith(`${origin}/`)) || url.startsWith('data:') || url.startsWith('blob:')) return route.continue();
    blocked.push(url);
    return route.abort('blockedbyclient');
  });
  const page = await context.newPage();
  page.on('console', (message) => {
    if (message.type() === 'error') consoleErrors.push(message.text());
  });
  page.on('pageerror', (error) => consoleErrors.push(`uncaught: ${error.message}`));
  page.on('request', (request) => {
    if (request.url().startsWith(h.base) && request.headers()['authorization']) authorized.push(`${request.frame().url()} -> ${request.url()}`);
  });
  page.on('response', (response) => {
    if (!response.url().startsWith(h.base)) return;
    const type = response.request().resourceType();
    if (type !== 'fetch' && type !== 'xhr' && type !== 'document') return;
    const done = response
      .text()
      .then((text) => void bodies.set(`${response.request().method()} ${response.url()} ${response.request().postData() ?? ''}`, text))
      .catch(() => undefined)
      .finally(() => pending.delete(done));
    pending.add(done);
  });
  await page.goto(`${h.base}${path}`);
  return {
    page,
    context,
    consoleErrors,
    blocked,
    bodies,
    authorized,
    async fetched() {
      await page.waitForLoadState('networkidle');
      await Promise.all([...pending]);
      return [...bodies.values()];
    },
    close: () => context.close(),
  };
}

/** Pastes a token into the sign-in form, as a person would. */
export async function signIn(page: Page, token: string): Promise<void> {
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByText(/Signed in as/).waitFor();
}

/** Values of the access fixture by the level that may read them. */
export const RESTRICTED_MARKERS = [SECRET.fullName, SECRET.otherNames, SECRET.occupation, SECRET.involvementDescription, String(SECRET.latitude), String(SECRET.longitude)];
export const CONFIDENTIAL_MARKERS = [SECRET.contact, SECRET.notes, SECRET.internalNotes];
export const ALL_MARKERS = [...RESTRICTED_MARKERS, ...CONFIDENTIAL_MARKERS];

/** Which of `markers` show in the page's DOM or in any response it fetched. */
export async function leaked(v: Visit, markers: readonly string[]): Promise<string[]> {
  const fetched = await v.fetched();
  const html = await v.page.evaluate(() => document.documentElement.outerHTML);
  return markers.filter((m) => html.includes(m) || fetched.some((body) => body.includes(m)));
}

/** axe-core's serious and critical violations on the page as it stands. axe runs through the
 * DevTools protocol, so the page's CSP (no inline script, no eval) stays as served. */
export async function accessibilityViolations(page: Page): Promise<string[]> {
  await page.evaluate(axe.source);
  const results = (await page.evaluate(() => (window as unknown as { axe: typeof axe }).axe.run(document, { resultTypes: ['violations'] }))) as axe.AxeResults;
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.id} (${v.impact}): ${v.help}: ${v.nodes.map((n) => n.target.join(' ')).slice(0, 3).join(', ')}`);
}

/** A page of another site (another origin: another port) that holds what `html()` answers. */
export async function otherSite(html: () => string): Promise<{ origin: string; close(): Promise<void> }> {
  const server: Server = createServer((_request, response) => {
    response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
    response.end(html());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  // "localhost" and 127.0.0.1 are different origins (and sites) to the browser.
  return { origin: `http://localhost:${port}`, close: () => new Promise<void>((resolve) => server.close(() => resolve())) };
}
