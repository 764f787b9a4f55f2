// Screenshots of the pages for the README and docs/screenshots/, from a running service:
//   npm start   (in another terminal), then   node web/scripts/screenshots.mjs [http://localhost:3000]
import chromium from '@sparticuz/chromium';
import { chromium as playwright } from 'playwright-core';

const base = process.argv[2] ?? 'http://localhost:3000';
const out = new URL('../../docs/screenshots/', import.meta.url).pathname;

async function gql(query) {
  const response = await fetch(`${base}/graphql`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ query }) });
  return (await response.json()).data;
}

const data = await gql(`{
  situations(first: 1) { edges { node { id } } }
  incidents(first: 1, orderBy: DATE_ASC) { edges { node { id responses { id organizers { organization { id } } } } } }
}`);
const situation = data.situations.edges[0].node.id;
const incident = data.incidents.edges[0].node;
const response = incident.responses[0];

const shots = [
  ['explore', '/', {}],
  ['explore-phone', '/', { width: 390, height: 844, full: true }],
  ['incident', `/incidents/${incident.id}`, { full: true }],
  ['response', `/responses/${response.id}`, { full: true }],
  ['situation', `/situations/${situation}`, {}],
  ['organization', `/organizations/${response.organizers[0].organization.id}`, {}],
  ['timeline', `/timeline?situation=${situation}`, { height: 1250, wait: 'timeline' }],
  ['map', `/map?region=RU`, { height: 1100 }],
  ['graphiql', '/graphiql', { wait: 'graphiql' }],
];

chromium.setGraphicsMode = false;
const browser = await playwright.launch({
  executablePath: await chromium.executablePath(),
  headless: true,
  args: ['--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic', '--disable-gpu', '--disable-dev-shm-usage', ...(process.getuid?.() === 0 ? ['--no-sandbox'] : [])],
});
for (const [name, path, o] of shots) {
  const page = await browser.newPage({ viewport: { width: o.width ?? 1280, height: o.height ?? 900 } });
  await page.goto(`${base}${path}`);
  await page.waitForLoadState('networkidle');
  if (o.wait === 'timeline') await page.locator('.tl-slide .tl-headline').first().waitFor({ state: 'attached' });
  if (o.wait === 'graphiql') await page.locator('.graphiql-container').waitFor();
  await page.waitForTimeout(1500);
  await page.screenshot({ path: `${out}${name}.png`, fullPage: !!o.full });
  await page.close();
  console.log(`${out}${name}.png`);
}
await browser.close();
