import chromium from '@sparticuz/chromium';
import { Browser, chromium as playwright } from 'playwright-core';

/** Flags for a headless Chromium on a machine with no network (docs: the machine notes): without
 * the background-networking ones it keeps trying to reach Google. As root it needs --no-sandbox. */
const FLAGS = [
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  '--disable-quic',
  '--disable-gpu',
  '--disable-dev-shm-usage',
  ...(process.getuid?.() === 0 ? ['--no-sandbox'] : []),
];

/** Chromium from the @sparticuz/chromium npm package (it ships the browser, so `npm ci` is the whole
 * set-up and no test skips for want of one), driven by playwright-core. */
export async function launchBrowser(): Promise<Browser> {
  chromium.setGraphicsMode = false;
  const executablePath = await chromium.executablePath();
  return playwright.launch({ executablePath, headless: true, args: FLAGS });
}
