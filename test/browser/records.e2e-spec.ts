/// <reference lib="dom" />
// Callbacks given to page.evaluate run in the browser, with its DOM.
/** The record pages (incident, response, situation, organization) and the map, in a real Chromium. */
import { Role } from '../../src/access/role';
import { AccessFixture, buildAccessFixture, SECRET } from '../support/access-fixture';
import { ALL_MARKERS, CONFIDENTIAL_MARKERS, RESTRICTED_MARKERS, accessibilityViolations, leaked, PageHarness, signIn, startPageHarness, visit } from './support/pages';

let h: PageHarness;
let fixture: AccessFixture;
let organizationId: string;

beforeAll(async () => {
  h = await startPageHarness();
  fixture = await buildAccessFixture(h.t.dataSource);
  const { body } = await h.t.gql<{ organizations: { edges: { node: { id: string; responseRoles: unknown[] } }[] } }>(
    '{ organizations(first: 100) { edges { node { id responseRoles { id } } } } }',
  );
  organizationId = body.data!.organizations.edges.find((e) => e.node.responseRoles.length > 0)!.node.id;
}, 120_000);
afterAll(() => h?.close());

describe('record pages, for the public', () => {
  const pages = () => [
    ['incident', `/incidents/${fixture.incidentId}`, 'Sources'],
    ['response', `/responses/${fixture.responseId}`, 'Organizers'],
    ['situation', `/situations/${fixture.situationId}`, 'Incidents'],
    ['organization', `/organizations/${organizationId}`, 'Responses'],
  ] as const;

  it.each([0, 1, 2, 3])('page %#: loads with no console error, no protected value, no serious accessibility violation', async (k) => {
    const [name, path, heading] = pages()[k];
    const v = await visit(h, path);
    await v.page.getByRole('heading', { level: 2, name: new RegExp(`^${heading}`) }).waitFor();
    expect({ name, errors: v.consoleErrors, blocked: v.blocked }).toEqual({ name, errors: [], blocked: [] });
    expect({ name, leaked: await leaked(v, ALL_MARKERS) }).toEqual({ name, leaked: [] });
    expect({ name, violations: await accessibilityViolations(v.page) }).toEqual({ name, violations: [] });
    await v.close();
  });

  it("shows an incident's citations, the people as the public may see them, its situation and the responses that answer it", async () => {
    const v = await visit(h, `/incidents/${fixture.incidentId}`);
    await v.page.getByRole('heading', { level: 2, name: 'Sources' }).waitFor();
    const citations = v.page.locator('.citation');
    expect(await citations.count()).toBeGreaterThan(0);
    expect(await citations.first().locator('.source-line').innerText()).toMatch(/^.+: .+ \(.+; reliability: .+\)$/);
    expect(await v.page.locator('.people').innerText()).toContain('Victim A (victim, man, born 1990)');
    expect(await v.page.getByRole('link', { name: /Persecution/ }).count()).toBeGreaterThan(0);
    await v.page.getByRole('link', { name: /Persecution/ }).first().click();
    await v.page.waitForURL(`**/situations/${fixture.situationId}`);
    await v.page.getByRole('heading', { level: 2, name: /^Incidents/ }).waitFor();
    expect(v.consoleErrors).toEqual([]);
    await v.close();
  });
});

describe('a reader who prefers Russian', () => {
  it('reads the incident in its Russian translation, marked as one with who made it, beside the original', async () => {
    const [{ id }] = await h.t.dataSource.query(`SELECT id FROM incident WHERE headline LIKE 'Over 100 men%'`);
    const v = await visit(h, `/incidents/${id}`, { locale: 'ru-RU' });
    await v.page.getByRole('heading', { level: 2, name: 'Sources' }).waitFor();
    const heading = v.page.getByRole('heading', { level: 1 });
    expect(await heading.innerText()).toContain('похищены в Чечне');
    expect(await heading.getAttribute('lang')).toBe('ru');
    expect(await v.page.locator('.translation-note').first().innerText()).toMatch(/Vigil demo data/);
    expect(await v.page.locator('p.original').innerText()).toMatch(/^Over 100 men/);
    // The excerpts stay in the source's words, their translation apart and marked.
    expect(await v.page.locator('.excerpt-translation').count()).toBeGreaterThan(0);
    expect(await v.page.locator('.citation > blockquote').first().innerText()).not.toMatch(/[а-я]/);
    expect(v.consoleErrors).toEqual([]);
    expect(await accessibilityViolations(v.page)).toEqual([]);
    await v.close();
  });

  it('maps the incidents with their Russian headlines where they have one', async () => {
    const v = await visit(h, '/map', { locale: 'ru-RU' });
    await v.page.locator('svg.map circle').first().waitFor();
    const abductions = v.page.locator('table.map-list tbody a', { hasText: 'похищены в Чечне' });
    expect(await abductions.getAttribute('lang')).toBe('ru');
    expect(await v.page.locator('svg.map circle').count()).toBe(3);
    expect(await leaked(v, ALL_MARKERS)).toEqual([]);
    expect(v.consoleErrors).toEqual([]);
    expect(await accessibilityViolations(v.page)).toEqual([]);
    await v.close();
  });

  it('searches in Russian and sees where each result matched, the words marked', async () => {
    const v = await visit(h, `/?q=${encodeURIComponent('похищены')}`, { locale: 'ru-RU' });
    await v.page.locator('.result').first().waitFor();
    const passage = v.page.locator('.result .passage').first();
    expect(await passage.locator('mark').first().innerText()).toMatch(/похищен/i);
    expect(await passage.innerText()).toMatch(/Matched in/);
    expect(v.consoleErrors).toEqual([]);
    expect(await leaked(v, ALL_MARKERS)).toEqual([]);
    await v.close();
  });
});

describe('record pages, for a researcher who pastes a token', () => {
  it('shows what a researcher may read, and nothing confidential', async () => {
    const v = await visit(h, `/incidents/${fixture.incidentId}`);
    await v.page.getByRole('heading', { level: 2, name: 'Sources' }).waitFor();
    await signIn(v.page, await h.t.tokenFor(Role.RESEARCHER));
    await v.page.getByText(SECRET.fullName).waitFor();
    const html = await v.page.evaluate(() => document.documentElement.outerHTML);
    expect(RESTRICTED_MARKERS.filter((m) => !html.includes(m))).toEqual([]);
    expect(await leaked(v, CONFIDENTIAL_MARKERS)).toEqual([]);
    expect(v.consoleErrors).toEqual([]);
    await v.close();
  });

  it('an editor also sees the confidential fields', async () => {
    const v = await visit(h, `/incidents/${fixture.incidentId}`);
    await signIn(v.page, await h.t.tokenFor(Role.EDITOR));
    await v.page.getByText(SECRET.internalNotes).waitFor();
    const html = await v.page.evaluate(() => document.documentElement.outerHTML);
    expect(ALL_MARKERS.filter((m) => !html.includes(m))).toEqual([]);
    await v.close();
  });
});

describe('map', () => {
  it('draws the public incidents from bundled shapes, never at their exact coordinates, with filters that work', async () => {
    const v = await visit(h, '/map');
    await v.page.locator('svg.map circle').first().waitFor();
    expect(await v.page.locator('svg.map .countries path').count()).toBeGreaterThan(100);
    expect(await v.page.locator('svg.map circle').count()).toBe(3);
    expect(await leaked(v, ALL_MARKERS)).toEqual([]);
    expect(v.consoleErrors).toEqual([]);
    expect(v.blocked).toEqual([]);
    expect(await accessibilityViolations(v.page)).toEqual([]);

    await v.page.getByLabel('Date', { exact: true }).fill('2018');
    await v.page.getByRole('button', { name: 'Apply' }).click();
    await v.page.waitForURL(/date=2018/);
    // 2018 overlaps the wave of December 2018 and the persecution going on since April 2017.
    await v.page.getByText('2 incidents on the map').waitFor();
    await v.page.getByLabel('Search', { exact: true }).fill('gay');
    await v.page.getByLabel('Date', { exact: true }).fill('');
    await v.page.getByRole('button', { name: 'Apply' }).click();
    await v.page.getByText('1 incident on the map').waitFor();
    expect(await v.page.locator('table.map-list tbody tr').innerText()).toContain('Over 100 men');
    await v.close();
  });

  it('places an incident at its exact coordinates for a researcher', async () => {
    const v = await visit(h, '/map');
    await v.page.locator('svg.map circle').first().waitFor();
    await signIn(v.page, await h.t.tokenFor(Role.RESEARCHER));
    await v.page.locator(`svg.map circle[cx="${SECRET.longitude}"]`).waitFor({ state: 'attached' });
    expect(await v.page.locator(`svg.map circle[cy="${-SECRET.latitude}"]`).count()).toBe(1);
    await v.close();
  });
});

describe('GraphiQL', () => {
  it('is bundled (nothing from elsewhere), opens on a Vigil query and has a place for the token', async () => {
    const v = await visit(h, '/graphiql');
    await v.page.getByText('incidents(filter', { exact: false }).first().waitFor();
    await v.page.getByText(/Authorization/).first().waitFor();
    expect(v.blocked).toEqual([]);
    expect(v.consoleErrors).toEqual([]);
    await v.close();
  });
});
