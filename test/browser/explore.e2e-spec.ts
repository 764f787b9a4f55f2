/// <reference lib="dom" />
// Callbacks given to page.evaluate run in the browser, with its DOM.
/** Explore (/) in a real Chromium: search, filters, facets, CSV link, access and accessibility. */
import { Role } from '../../src/access/role';
import { AccessFixture, buildAccessFixture } from '../support/access-fixture';
import { ALL_MARKERS, accessibilityViolations, leaked, PageHarness, signIn, startPageHarness, visit, Visit } from './support/pages';

let h: PageHarness;
let fixture: AccessFixture;

beforeAll(async () => {
  h = await startPageHarness();
  fixture = await buildAccessFixture(h.t.dataSource);
}, 120_000);
afterAll(() => h?.close());

const headlines = (v: Visit) => v.page.locator('.result h3').allTextContents();
const total = (v: Visit) => v.page.locator('.total').textContent();

describe('Explore', () => {
  it('lists the incidents with date at its precision, place, counts with their basis, and facets; no console error, nothing from elsewhere', async () => {
    const v = await visit(h, '/');
    await v.page.locator('.result').first().waitFor();
    expect(await total(v)).toBe('3 incidents');
    const text = await v.page.locator('.result-list').innerText();
    expect(text).toContain('About April 2017 (“In April”)'); // month precision: no day
    expect(text).toContain('Chechnya, Russia'); // the region's common English name
    expect(text).toContain('Victims: 40 (documented)');
    expect(await v.page.locator('.facet').allTextContents()).toEqual([expect.stringContaining('Year'), expect.stringContaining('Country'), expect.stringContaining('Kind')]);
    expect(v.consoleErrors).toEqual([]);
    expect(v.blocked).toEqual([]);
    expect(await accessibilityViolations(v.page)).toEqual([]);
    await v.close();
  });

  it('searches by name, filters by a month, narrows by a facet click, and finds a region by its name', async () => {
    const v = await visit(h, '/');
    await v.page.locator('.result').first().waitFor();

    await v.page.getByLabel('Search', { exact: true }).fill('gay');
    await v.page.getByRole('button', { name: 'Apply' }).click();
    await v.page.waitForURL(/q=gay/);
    await v.page.getByText('1 incident', { exact: true }).waitFor();
    expect(await headlines(v)).toEqual(['Over 100 men believed to be gay or bisexual abducted in Chechnya']);

    await v.page.getByRole('button', { name: 'Clear' }).click();
    await v.page.getByLabel('Date', { exact: true }).fill('2018-12');
    await v.page.getByLabel('Date', { exact: true }).press('Enter');
    await v.page.waitForURL(/date=2018-12/);
    // December 2018 overlaps the wave of that month and the persecution going on since April 2017.
    await v.page.getByText('2 incidents', { exact: true }).waitFor();
    expect(await headlines(v)).toEqual(['New wave in Chechnya: 40 people rounded up, two tortured to death', 'Torture and killing of men detained for their sexuality in Chechnya']);

    await v.page.getByRole('button', { name: 'Clear' }).click();
    await v.page.getByText('3 incidents').waitFor();
    await v.page.getByRole('region', { name: 'Kind' }).getByRole('button', { name: /torture or ill treatment/ }).click();
    await v.page.waitForURL(/kind=TORTURE_OR_ILL_TREATMENT/);
    await v.page.getByText('1 incident', { exact: true }).waitFor();
    expect(await headlines(v)).toEqual(['Torture and killing of men detained for their sexuality in Chechnya']);

    await v.page.getByRole('button', { name: 'Clear' }).click();
    await v.page.getByLabel('Region', { exact: true }).fill('Chech');
    await v.page.getByRole('button', { name: /\(RU-CE\)/ }).click();
    await v.page.waitForURL(/region=RU-CE/);
    await v.page.getByRole('list', { name: 'Chosen regions' }).getByText(/RU-CE/).waitFor();
    await v.page.getByText('3 incidents').waitFor();
    // The CSV link exports exactly the current filter.
    expect(await v.page.getByRole('link', { name: 'Download CSV' }).getAttribute('href')).toBe('/exports/incidents.csv?regions=RU-CE');
    expect(v.consoleErrors).toEqual([]);
    await v.close();
  });

  it("holds no protected value for the public, in the DOM or in anything it fetched", async () => {
    const v = await visit(h, '/?region=RU-CE');
    await v.page.locator('.result').first().waitFor();
    expect(await leaked(v, ALL_MARKERS)).toEqual([]);
    await v.close();
  });

  it('keeps a pasted token in sessionStorage, never in a URL, and reads as a researcher', async () => {
    const token = await h.t.tokenFor(Role.RESEARCHER);
    const v = await visit(h, '/');
    await v.page.locator('.result').first().waitFor();
    await signIn(v.page, token);
    expect(await v.page.getByText(/Signed in as/).textContent()).toContain('researcher');
    expect(await v.page.evaluate(() => sessionStorage.getItem('vigil.token'))).toBe(token);
    await v.page.locator('.result').first().waitFor();
    await v.fetched();
    expect([...v.bodies.keys()].filter((k) => k.includes(token))).toEqual([]);
    expect(v.page.url()).not.toContain(token);
    expect(await v.page.evaluate(() => document.documentElement.outerHTML)).not.toContain(token);
    expect(fixture.incidentId).toBeTruthy();
    await v.close();
  });

  it('fits a phone screen', async () => {
    const v = await visit(h, '/', { viewport: { width: 375, height: 740 } });
    await v.page.locator('.result').first().waitFor();
    expect(await v.page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(375);
    expect(await accessibilityViolations(v.page)).toEqual([]);
    await v.close();
  });
});
