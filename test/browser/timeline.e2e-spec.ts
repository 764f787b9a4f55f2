/// <reference lib="dom" />
// Callbacks given to page.evaluate run in the browser, with its DOM.
/** The timeline builder (/timeline) and its embed (/timeline/embed) in a real Chromium. */
import { Page } from 'playwright-core';
import { Role } from '../../src/access/role';
import { AccessFixture, buildAccessFixture } from '../support/access-fixture';
import { ALL_MARKERS, accessibilityViolations, leaked, otherSite, PageHarness, signIn, startPageHarness, visit } from './support/pages';

let h: PageHarness;
let fixture: AccessFixture;

beforeAll(async () => {
  h = await startPageHarness();
  fixture = await buildAccessFixture(h.t.dataSource);
}, 120_000);
afterAll(() => h?.close());

interface Slide {
  headline: string;
  date: string;
  text: string;
}

/** Every event slide TimelineJS rendered (the title slide has no date). */
async function slides(page: Page, within = page.locator('body')): Promise<Slide[]> {
  await within.locator('.tl-slide .tl-headline').first().waitFor({ state: 'attached' });
  return within.locator('.tl-slide').evaluateAll((nodes) =>
    nodes
      .filter((n) => n.querySelector('.tl-headline-date'))
      .map((n) => ({
        headline: n.querySelector('.tl-headline')?.textContent?.trim() ?? '',
        date: n.querySelector('.tl-headline-date')?.textContent?.trim() ?? '',
        text: n.querySelector('.tl-text-content')?.textContent?.trim() ?? '',
      })),
  );
}

const brokenImages = (page: Page) => page.locator('img').evaluateAll((imgs) => (imgs as HTMLImageElement[]).filter((i) => !i.complete || i.naturalWidth === 0).map((i) => i.src));

describe('timeline builder', () => {
  it("builds a situation's timeline: incidents beside the responses that answer them, every slide naming its sources, dates at their precision", async () => {
    const v = await visit(h, `/timeline?situation=${fixture.situationId}`, { locale: 'en-GB' });
    const all = await slides(v.page);
    const byHeadline = new Map(all.map((s) => [s.headline, s]));
    const abductions = byHeadline.get('Over 100 men believed to be gay or bisexual abducted in Chechnya');
    expect(abductions?.date).toBe('About April 2017'); // the words as reported add nothing to the date here
    expect(abductions?.date).not.toMatch(/\d April/); // month precision: no day
    expect([...byHeadline.keys()]).toEqual(expect.arrayContaining([expect.stringMatching(/^Petition calling on Russian authorities/), expect.stringMatching(/protest at the Russian Embassy in London/)]));
    expect(byHeadline.get([...byHeadline.keys()].find((k) => k.startsWith('Petition'))!)?.date).toMatch(/2 June 2017/);
    // Every slide names its sources, as text; no date repeats itself.
    expect(all.filter((s) => !/Sources?: \S/.test(s.text)).map((s) => s.headline)).toEqual([]);
    expect(all.filter((s) => /^(.+): “\1”$/i.test(s.date)).map((s) => s.date)).toEqual([]);
    expect(await v.page.locator('.tl-slide .tl-media img').count()).toBe(0);
    expect(await brokenImages(v.page)).toEqual([]);
    // The text in the reader's languages, where a record has them (the browser's, here English).
    expect(await v.page.getByRole('link', { name: 'Download JSON' }).getAttribute('href')).toBe(`/exports/timeline.json?situationId=${fixture.situationId}&language=en-GB`);
    expect(v.consoleErrors).toEqual([]);
    expect(v.blocked).toEqual([]);
    expect(await leaked(v, ALL_MARKERS)).toEqual([]);
    expect(await accessibilityViolations(v.page)).toEqual([]);
    await v.close();
  });

  it('narrows by a date, a search and a kind; without responses shows incidents only', async () => {
    const v = await visit(h, `/timeline?situation=${fixture.situationId}`);
    await slides(v.page);
    await v.page.getByLabel('Date', { exact: true }).fill('2018');
    await v.page.getByRole('button', { name: 'Apply' }).click();
    await v.page.waitForURL(/date=2018/);
    // The wave of December 2018 and the persecution going on, with the fundraiser and the rally that answer them.
    await v.page.getByText(/· 4 entries$/).waitFor();
    await v.page.getByLabel('With the responses that answer these incidents').uncheck();
    await v.page.waitForURL(/responses=0/);
    await v.page.getByLabel('Search', { exact: true }).fill('wave');
    await v.page.getByRole('button', { name: 'Apply' }).click();
    await v.page.getByText(/· 1 entry$/).waitFor();
    expect((await slides(v.page)).map((s) => s.headline)).toEqual(['New wave in Chechnya: 40 people rounded up, two tortured to death']);
    expect(v.consoleErrors).toEqual([]);
    await v.close();
  });

  it('builds the timeline in the reader\'s language, each translated slide saying so, and embeds it in the language chosen', async () => {
    const [{ id }] = await h.t.dataSource.query(`SELECT id FROM situation WHERE translations <> '[]' ORDER BY created_at LIMIT 1`);
    const v = await visit(h, `/timeline?situation=${id}`, { locale: 'ru-RU' });
    const translated = (await slides(v.page)).filter((s) => /похищены в Чечне/.test(s.headline));
    expect(translated).toHaveLength(1);
    expect(translated[0].text).toMatch(/Translated from English by Vigil demo data/);
    let snippet = await v.page.getByLabel('Embed snippet').inputValue();
    expect(snippet).toMatch(/language=ru-RU/);
    // The originals, on request: the snippet follows.
    await v.page.getByLabel('Text in').selectOption('');
    await v.page.waitForURL(/language=(&|$)/);
    await v.page.locator('.tl-slide .tl-headline', { hasText: 'Over 100 men believed to be gay or bisexual abducted in Chechnya' }).first().waitFor({ state: 'attached' });
    snippet = await v.page.getByLabel('Embed snippet').inputValue();
    expect(snippet).not.toMatch(/language=ru/);
    expect(v.consoleErrors).toEqual([]);
    expect(await accessibilityViolations(v.page)).toEqual([]);
    await v.close();
    // The embed shows the language its snippet names, whatever its visitor's browser says.
    const embed = await visit(h, `/timeline/embed?situation=${id}&language=ru`);
    expect((await slides(embed.page)).some((s) => /похищены в Чечне/.test(s.headline))).toBe(true);
    expect(embed.consoleErrors).toEqual([]);
    await embed.close();
  });

  it('gives an embed snippet that renders inside a page of another site, with public data only', async () => {
    let snippet = '';
    const site = await otherSite(() => `<!doctype html><html lang="en"><head><title>An advocate's page</title></head><body><h1>Our campaign</h1>${snippet}</body></html>`);
    try {
      const v = await visit(h, `/timeline?situation=${fixture.situationId}`, { allowed: [site.origin] });
      await slides(v.page);
      // Signed in as a researcher: the embed, framed in this same tab (which holds the token in
      // the service's sessionStorage), must still read as the public.
      await signIn(v.page, await h.t.tokenFor(Role.RESEARCHER));
      snippet = await v.page.getByLabel('Embed snippet').inputValue();
      expect(snippet).toMatch(/^<iframe src="http:\/\/127\.0\.0\.1:\d+\/timeline\/embed\?situation=[^"]+" title="Vigil timeline"/);
      await v.fetched();
      expect(v.authorized.length).toBeGreaterThan(0); // the builder itself reads with the token
      v.authorized.length = 0;
      v.bodies.clear();

      await v.page.goto(site.origin);
      const frame = v.page.frameLocator('iframe');
      await frame.locator('.tl-slide .tl-headline').first().waitFor({ state: 'attached' });
      const headlines = await frame.locator('.tl-slide .tl-headline').allTextContents();
      expect(headlines).toEqual(expect.arrayContaining(['Over 100 men believed to be gay or bisexual abducted in Chechnya']));
      expect([...v.bodies.keys()].filter((r) => r.includes('/exports/timeline.json'))).toHaveLength(1);
      // (The builder, still open in the tab's history, may finish a request of its own.)
      expect(v.authorized.filter((r) => r.includes('/timeline/embed'))).toEqual([]);
      expect(await leaked(v, ALL_MARKERS)).toEqual([]);
      expect(v.consoleErrors).toEqual([]);
      expect(v.blocked).toEqual([]);
      await v.close();
    } finally {
      await site.close();
    }
  });
});
