// Render times of Explore (50 results) and the timeline (about 500 entries) in headless Chromium,
// against a running service holding generated data (web/README.md, "Render times"):
//   node web/scripts/measure.mjs http://localhost:3000 '<timeline filter query string>'
import chromium from '@sparticuz/chromium';
import { chromium as playwright } from 'playwright-core';

const base = process.argv[2] ?? 'http://localhost:3000';
const timelineQuery = process.argv[3] ?? '';
chromium.setGraphicsMode = false;
const browser = await playwright.launch({
  executablePath: await chromium.executablePath(),
  headless: true,
  args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-gpu', '--disable-dev-shm-usage', ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
});

async function measure(path, attribute, count) {
  const runs = [];
  for (let k = 0; k < 4; k++) {
    const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
    const opened = Date.now();
    await page.goto(`${base}${path}`);
    await page.waitForFunction((a) => document.body.hasAttribute(a), attribute, { timeout: 60_000 });
    const total = Date.now() - opened;
    const read = (a) => page.evaluate((name) => Number(document.body.getAttribute(name)), a);
    runs.push({ ms: await read(attribute), ...(attribute === 'data-timeline-ms' ? { timelinejs: await read('data-timeline-render-ms') } : {}), total, shown: await page.evaluate(count) });
    await page.close();
  }
  return runs.slice(1); // the first run warms the service's caches
}

const explore = await measure('/', 'data-explore-ms', () => document.querySelectorAll('.result').length);
const timeline = await measure(`/timeline${timelineQuery}`, 'data-timeline-ms', () => document.querySelectorAll('.tl-slide').length);
console.log(JSON.stringify({ explore, timeline }, null, 1));
await browser.close();
