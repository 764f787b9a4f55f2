import { Role } from '../../src/access/role';
import { IncidentKind } from '../../src/incidents/incident-kind';
import { Incident } from '../../src/incidents/incident.entity';
import { Citation } from '../../src/sources/citation.entity';
import { Source } from '../../src/sources/source.entity';
import { buildResearchFixture, count, date, ResearchFixture } from '../support/research-fixture';
import { startTestApp, TestApp } from '../support/test-app';
import { download } from './support';

const TIMELINE = `query($filter: IncidentFilter, $entryKinds: [TimelineEntryKind!], $orderBy: TimelineOrder, $first: Int, $after: String, $responsesToIncidents: Boolean) {
  timeline(filter: $filter, entryKinds: $entryKinds, orderBy: $orderBy, first: $first, after: $after, responsesToIncidents: $responsesToIncidents) {
    totalCount
    pageInfo { hasNextPage endCursor }
    edges { cursor node { kind id headline recordKind regionCode date { edtf precision start } } }
  }
}`;

interface TimelineJs {
  title?: { text: { headline: string; text: string } };
  events: {
    start_date: { year: number; month?: number; day?: number; display_date?: string };
    end_date?: { year: number; month?: number; day?: number };
    text: { headline: string; text: string };
    group: string;
    unique_id: string;
  }[];
}

describe('timeline', () => {
  let t: TestApp;
  let r: ResearchFixture;
  let sourced: Incident;
  let names: Map<string, string>;

  beforeAll(async () => {
    t = await startTestApp({ demo: false });
    r = await buildResearchFixture(t.dataSource);
    const sources = t.dataSource.getRepository(Source);
    await sources.update(r.s.novaya1.id, { url: 'https://novaya.example/1' });
    await sources.update(r.s.hrw.id, { url: 'https://hrw.example/long-arms' });
    await sources.update(r.s.testimony.id, { url: 'https://hidden.example/testimony' });
    // Cited first by the confidential testimony, then by HRW: the public's first visible source is HRW.
    sourced = await t.dataSource.getRepository(Incident).save(
      t.dataSource.getRepository(Incident).create({
        kind: IncidentKind.KILLING, headline: 'Killing <img src=x onerror=alert(1)> in Gudermes', description: 'Said "he & they" <b>died</b>.',
        regionCode: 'RU-CE', date: Object.assign(date('2019-03~'), { asReported: 'early March' }), victims: count(), deaths: count(),
      }),
    );
    const citations = t.dataSource.getRepository(Citation);
    await citations.save(citations.create({ sourceId: r.s.testimony.id, incidentId: sourced.id, excerpt: 'x', createdAt: new Date('2020-01-01') }));
    await citations.save(citations.create({ sourceId: r.s.hrw.id, incidentId: sourced.id, excerpt: 'y', createdAt: new Date('2020-01-02') }));
    names = new Map([
      ...Object.entries(r.i).map(([name, x]) => [x.id, name] as [string, string]),
      ...Object.entries(r.r).map(([name, x]) => [x.id, name] as [string, string]),
      [sourced.id, 'sourced'],
    ]);
    await t.tokenFor(Role.EDITOR);
  });
  afterAll(() => t.close());

  async function timeline(variables: Record<string, unknown> = {}, as: Role = Role.PUBLIC) {
    const { body } = await t.gql<any>(TIMELINE, variables, as);
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    return body.data.timeline;
  }
  const named = (page: any) => page.edges.map((e: any) => names.get(e.node.id) ?? e.node.id);

  async function all(variables: Record<string, unknown>, first: number, as: Role = Role.PUBLIC): Promise<string[]> {
    const found: string[] = [];
    let after: string | null = null;
    for (let i = 0; i < 20; i++) {
      const page = await timeline({ ...variables, first, after }, as);
      found.push(...named(page));
      if (!page.pageInfo.hasNextPage) return found;
      after = page.pageInfo.endCursor;
    }
    throw new Error('too many pages');
  }

  describe('GraphQL', () => {
    it('merges incidents and responses in date order, incidents first on the same day', async () => {
      const page = await timeline({ first: 50 });
      const sameDay = [r.i.abductions.id, r.i.prison.id].sort().map((id) => names.get(id));
      expect(named(page)).toEqual([...sameDay, 'petition', 'killing', 'protest', 'moscow', 'london', 'sourced']);
      expect(page.totalCount).toBe(8);
      expect(page.edges[2].node).toEqual({
        kind: 'RESPONSE', id: r.r.petition.id, headline: 'Stop the abductions petition', recordKind: 'PETITION', regionCode: 'GB',
        date: { edtf: '2017-04-20', precision: 'DAY', start: '2017-04-20' },
      });
      const moscow = page.edges.find((e: any) => e.node.id === r.i.moscow.id).node;
      expect(moscow).toMatchObject({ kind: 'INCIDENT', recordKind: 'DETENTION', date: { edtf: '2018', precision: 'YEAR' } });
    });

    it('pages with cursors without skipping or repeating, in both directions', async () => {
      const everything = named(await timeline({ first: 50 }));
      for (const first of [1, 2, 3]) expect(await all({}, first)).toEqual(everything);
      const newest = named(await timeline({ first: 50, orderBy: 'DATE_DESC' }));
      expect(newest).toEqual([...everything].reverse());
      expect(await all({ orderBy: 'DATE_DESC' }, 2)).toEqual(newest);
    });

    it('refuses a cursor from another order, or a forged one', async () => {
      const page = await timeline({ first: 1 });
      for (const after of [page.pageInfo.endCursor, Buffer.from('["x","2017-01-01",0,"not-a-uuid"]').toString('base64url'), 'garbage']) {
        const { body } = await t.gql<any>(TIMELINE, { orderBy: after === page.pageInfo.endCursor ? 'DATE_DESC' : 'DATE_ASC', after });
        expect(body.errors![0].extensions).toMatchObject({ code: 'BAD_USER_INPUT' });
        expect(body.errors![0].message).toMatch(/^after: malformed cursor/);
      }
    });

    it('takes the incident filter; responses take the fields that mean the same for them', async () => {
      expect(named(await timeline({ entryKinds: ['RESPONSE'] }))).toEqual(['petition', 'protest']);
      expect(named(await timeline({ entryKinds: ['INCIDENT'], filter: { regions: ['GB'] } }))).toEqual(['london']);
      expect(named(await timeline({ filter: { regions: ['GB'] } }))).toEqual(['petition', 'protest', 'london']);
      expect(named(await timeline({ filter: { regions: ['RU-MOW', 'GB'], dateFrom: '2018-01-01' } }))).toEqual(['moscow', 'london']);
      // Incident-only fields select incidents, and leave responses to the shared fields.
      expect(named(await timeline({ filter: { kinds: ['KILLING'], dateTo: '2017-12-31' } }))).toEqual(['petition', 'killing', 'protest']);
      expect(named(await timeline({ filter: { search: 'petition' } }))).toEqual(['petition']);
    });

    it('shows the responses that answer the selected incidents, wherever they took place, unless asked not to', async () => {
      // The petition and the protest took place in GB; they answer incidents in Chechnya.
      expect(named(await timeline({ filter: { regions: ['RU-CE'] }, first: 50 }))).toEqual([...[r.i.abductions.id, r.i.prison.id].sort().map((id) => names.get(id)), 'petition', 'killing', 'protest', 'sourced']);
      expect(named(await timeline({ filter: { regions: ['RU-CE'] }, first: 50, responsesToIncidents: false }))).not.toContain('petition');
      expect((await timeline({ filter: { regions: ['RU-CE'] }, first: 1 })).totalCount).toBe(6);
      expect(await all({ filter: { regions: ['RU-CE'] } }, 2)).toEqual(named(await timeline({ filter: { regions: ['RU-CE'] }, first: 50 })));
      // Only responses that answer the selected incidents: the killing's protest, not the petition.
      expect(named(await timeline({ filter: { regions: ['RU-CE'], kinds: ['KILLING'] }, first: 50 }))).toEqual(['killing', 'protest', 'sourced']);
      // A hidden response answering a visible incident stays hidden.
      expect(named(await timeline({ filter: { regions: ['RU-MOW'] }, first: 50 }))).toEqual(['moscow']);
      expect(named(await timeline({ filter: { regions: ['RU-MOW'] }, first: 50 }, Role.EDITOR))).toEqual(['moscow', 'hiddenStatement']);
    });

    it('shows only records the viewer may see, and refuses protected filters', async () => {
      const editor = await timeline({ first: 50 }, Role.EDITOR);
      expect(editor.totalCount).toBe(10);
      expect(named(editor)).toEqual(expect.arrayContaining(['hidden', 'hiddenStatement']));
      expect(named(await timeline({ first: 50 }))).not.toEqual(expect.arrayContaining(['hidden']));
      const { body } = await t.gql<any>(TIMELINE, { filter: { within: { south: 0, north: 1, west: 0, east: 1 } } });
      expect(body.errors![0].extensions).toMatchObject({ code: 'FORBIDDEN', field: 'IncidentFilter.within' });
    });
  });

  describe('timeline.json for TimelineJS', () => {
    async function timelineJs(path: string, as: Role = Role.PUBLIC): Promise<TimelineJs> {
      const d = await download(t, path, as);
      expect(d.status).toBe(200);
      expect(d.headers['content-type']).toBe('application/json; charset=utf-8');
      expect(d.headers['content-disposition']).toBe('attachment; filename="timeline.json"');
      const parsed = JSON.parse(d.text) as TimelineJs;
      // The shape TimelineJS3 reads.
      for (const event of parsed.events) {
        expect(Number.isInteger(event.start_date.year)).toBe(true);
        expect(typeof event.text.headline).toBe('string');
        expect(['Incidents', 'Responses']).toContain(event.group);
        expect(event.unique_id).toMatch(/^(incident|response)-[0-9a-f-]{36}$/);
      }
      return parsed;
    }
    const eventOf = (doc: TimelineJs, id: string) => doc.events.find((e) => e.unique_id.endsWith(id))!;

    it('holds the same records as the GraphQL timeline, in the same order', async () => {
      const doc = await timelineJs('/exports/timeline.json');
      const page = await timeline({ first: 50 });
      expect(doc.events.map((e) => e.unique_id)).toEqual(page.edges.map((e: any) => `${e.node.kind.toLowerCase()}-${e.node.id}`));
      expect(doc).not.toHaveProperty('title');
      const gb = await timelineJs('/exports/timeline.json?regions=GB&orderBy=DATE_DESC');
      expect(gb.events.map((e) => names.get(e.unique_id.replace(/^\w+-/, '')))).toEqual(['london', 'protest', 'petition']);
    });

    it('gives each date only the parts its precision has', async () => {
      const doc = await timelineJs('/exports/timeline.json');
      expect(eventOf(doc, r.i.abductions.id).start_date).toEqual({ year: 2017, month: 4, display_date: 'April 2017' });
      expect(eventOf(doc, r.i.abductions.id)).not.toHaveProperty('end_date');
      expect(eventOf(doc, r.i.prison.id)).toMatchObject({ start_date: { year: 2017, month: 4, display_date: 'April 2017 – June 2017' }, end_date: { year: 2017, month: 6 } });
      expect(eventOf(doc, r.i.moscow.id).start_date).toEqual({ year: 2018, display_date: '2018' });
      expect(eventOf(doc, r.i.killing.id).start_date).toEqual({ year: 2017, month: 5, day: 3, display_date: '3 May 2017' });
      // The source's words are in the text, not repeated in the date.
      expect(eventOf(doc, sourced.id).start_date).toEqual({ year: 2019, month: 3, display_date: 'About March 2019' });
      expect(eventOf(doc, sourced.id).text.text).toContain('reported as “early March”');
      expect(eventOf(doc, r.r.petition.id)).toMatchObject({ group: 'Responses', start_date: { year: 2017, month: 4, day: 20, display_date: '20 April 2017' } });
    });

    it('never repeats a date the source gives in the same words', async () => {
      await t.dataSource.getRepository(Incident).update(r.i.killing.id, { date: Object.assign(date('2017-05-03'), { asReported: '3 May 2017' }) });
      try {
        const event = eventOf(await timelineJs('/exports/timeline.json'), r.i.killing.id);
        expect(event.start_date.display_date).toBe('3 May 2017');
        expect(event.text.text).not.toContain('reported as');
        expect(JSON.stringify(event).match(/3 May 2017/g)).toHaveLength(1);
      } finally {
        await t.dataSource.getRepository(Incident).update(r.i.killing.id, { date: Object.assign(date('2017-05-03'), { asReported: null }) });
      }
    });

    it('shows the responses that answer the chosen incidents, wherever they took place, unless asked not to', async () => {
      const chechnya = await timelineJs('/exports/timeline.json?regions=RU-CE');
      const shown = chechnya.events.map((e) => names.get(e.unique_id.replace(/^\w+-/, '')));
      expect(shown).toEqual(expect.arrayContaining(['petition', 'protest', 'abductions', 'prison', 'killing', 'sourced']));
      expect(shown).toHaveLength(6);
      const page = await timeline({ filter: { regions: ['RU-CE'] }, first: 50 });
      expect(chechnya.events.map((e) => e.unique_id)).toEqual(page.edges.map((e: any) => `${e.node.kind.toLowerCase()}-${e.node.id}`));
      const without = await timelineJs('/exports/timeline.json?regions=RU-CE&responsesToIncidents=false');
      expect(without.events.every((e) => e.group === 'Incidents')).toBe(true);
      expect(without.events).toHaveLength(4);
    });

    it('escapes text for TimelineJS\'s HTML, and names every visible source on every slide, as text, never as media', async () => {
      const doc = await timelineJs('/exports/timeline.json');
      const event = eventOf(doc, sourced.id);
      expect(event.text.headline).toBe('Killing &lt;img src=x onerror=alert(1)&gt; in Gudermes');
      expect(event.text.text).toContain('Said &quot;he &amp; they&quot; &lt;b&gt;died&lt;/b&gt;.');
      // The confidential testimony is cited first; the public sees only HRW.
      expect(event.text.text).toContain('<p class="vigil-sources">Source: <a href="https://hrw.example/long-arms" target="_blank" rel="noopener noreferrer">Human Rights Watch, They have long arms</a></p>');
      expect(eventOf(doc, r.i.killing.id).text.text).toContain('href="https://novaya.example/1"');
      expect(eventOf(doc, r.i.london.id).text.text).toContain('<p class="vigil-sources">Sources: none that you may see.</p>');
      for (const e of doc.events) {
        expect(e).not.toHaveProperty('media');
        expect(e.text.text).toMatch(/<p class="vigil-sources">Sources?: /);
      }
      const abductions = eventOf(doc, r.i.abductions.id).text.text;
      expect(abductions).toContain('Novaya Gazeta');
      expect(abductions).toContain('Human Rights Watch');
      const editor = await timelineJs('/exports/timeline.json', Role.EDITOR);
      expect(eventOf(editor, sourced.id).text.text).toMatch(/Sources: <a href="https:\/\/hidden.example\/testimony"[^>]*>.*<\/a>; <a href="https:\/\/hrw.example\/long-arms"/);
    });

    it('leaves out what the viewer may not see', async () => {
      const text = (await download(t, '/exports/timeline.json')).text;
      for (const hidden of [r.i.hidden.id, r.r.hiddenStatement.id, 'hidden.example', 'Unpublished torture testimony', 'Private letter']) expect(text).not.toContain(hidden);
      const editor = await timelineJs('/exports/timeline.json', Role.EDITOR);
      expect(editor.events.map((e) => e.unique_id)).toEqual(expect.arrayContaining([`incident-${r.i.hidden.id}`, `response-${r.r.hiddenStatement.id}`]));
    });

    it('takes a title for the title slide, escaped, and validates its parameters', async () => {
      const doc = await timelineJs('/exports/timeline.json?title=Chechnya%20%3C2017%3E&entryKinds=INCIDENT');
      expect(doc.title).toEqual({ text: { headline: 'Chechnya &lt;2017&gt;', text: '<p>Incidents and advocacy responses from Vigil.</p>' } });
      expect(doc.events.every((e) => e.group === 'Incidents')).toBe(true);
      const bad = await download(t, `/exports/timeline.json?title=${'x'.repeat(201)}&entryKinds=EVENT`);
      expect(bad.status).toBe(400);
      expect(JSON.parse(bad.text).problems.map((p: { parameter: string }) => p.parameter)).toEqual(['entryKinds[0]']);
      const long = await download(t, `/exports/timeline.json?title=${'x'.repeat(201)}`);
      expect(JSON.parse(long.text).problems).toEqual([{ parameter: 'title', message: 'must be 1 to 200 characters' }]);
      expect((await download(t, '/exports/timeline.json?within.south=1&within.north=2&within.west=1&within.east=2')).status).toBe(403);
    });
  });
});
