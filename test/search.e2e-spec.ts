/**
 * Search finds what people mean, in their languages (src/common/search.ts): each record's text is
 * read in its own language, a query in every supported language, word forms of one root find each
 * other (word families), and an incident's kind is searchable by its name.
 */
import { IncidentKind } from '../src/incidents/incident-kind';
import { Incident } from '../src/incidents/incident.entity';
import { count, date } from './support/research-fixture';
import { startTestApp, TestApp } from './support/test-app';

const RECORDS: { language: string; headline: string; query: string; kind?: IncidentKind }[] = [
  { language: 'en', headline: 'Three men detained at a checkpoint near Argun', query: 'detention' },
  { language: 'en', headline: 'Journalist held for a week', query: 'detainees', kind: IncidentKind.DETENTION },
  { language: 'ru', headline: 'Трое мужчин похищены в Чечне', query: 'похищение' },
  { language: 'fr', headline: 'Deux militants détenus à Grozny', query: 'détention' },
  { language: 'es', headline: 'Periodistas secuestrados en la frontera', query: 'secuestro' },
  { language: 'ar', headline: 'اعتقال ناشطين في المدينة', query: 'المعتقلين' },
  { language: 'ca', headline: 'Manifestació davant el Parlament', query: 'manifestacio' }, // no stemmer: accents folded
];

describe('search in several languages', () => {
  let t: TestApp;
  const ids = new Map<string, string>();

  beforeAll(async () => {
    t = await startTestApp({ demo: false });
    const repository = t.dataSource.getRepository(Incident);
    for (const r of RECORDS) {
      const saved = await repository.save(
        repository.create({ kind: r.kind ?? IncidentKind.OTHER, headline: r.headline, language: r.language, regionCode: 'GE', date: date('2020-02'), victims: count(), deaths: count() }),
      );
      ids.set(r.headline, saved.id);
    }
  });
  afterAll(() => t.close());

  const found = async (search: string): Promise<string[]> => {
    const { body } = await t.gql<any>('query($search: String!) { incidents(filter: { search: $search }, orderBy: RELEVANCE) { edges { node { headline } } } }', { search });
    expect(body.errors).toBeUndefined();
    return body.data.incidents.edges.map((e: any) => e.node.headline);
  };

  it.each(RECORDS.map((r) => [r.language, r.query, r.headline]))('%s: "%s" finds "%s" through another word form or spelling', async (_, query, headline) => {
    expect(await found(query)).toContain(headline);
  });

  it('finds an incident by the name of its kind, and ranks a match in the text above one in the kind', async () => {
    expect(await found('detention')).toEqual(['Three men detained at a checkpoint near Argun', 'Journalist held for a week']);
    expect(await found('arbitrary arrest')).toEqual(['Journalist held for a week']);
    expect(await found('задержание')).toEqual(['Journalist held for a week']);
    // And by the ACLED event and sub-event type it is coded as (INCIDENT_KIND_MAPPINGS).
    expect(await found('"violence against civilians"')).toEqual(['Journalist held for a week']);
    // Not by a sub-event type that names another kind: "abduction" does not find a detention.
    expect(await found('abduction')).toEqual([]);
  });

  it('ranks a match in the incident\'s own text above one in its citation, and finds a query\'s words across them', async () => {
    const repository = t.dataSource.getRepository(Incident);
    const save = (headline: string) =>
      repository.save(repository.create({ kind: IncidentKind.OTHER, headline, language: 'en', regionCode: 'GE', date: date('2020-04'), victims: count(), deaths: count() }));
    await save('Marblefinch held in Tbilisi');
    const cited = await save('A quiet week in Batumi');
    const [{ id: source }] = await t.dataSource.query(
      `INSERT INTO source (kind, publisher, title, published_start, published_precision) VALUES ('NEWS_REPORT', 'Herald', 'Report', '2020-04-01', 'DAY') RETURNING id`,
    );
    await t.dataSource.query(`INSERT INTO citation (source_id, incident_id, excerpt) VALUES ($1, $2, 'Marblefinch was seen in the cells')`, [source, cited.id]);
    expect(await found('marblefinch')).toEqual(['Marblefinch held in Tbilisi', 'A quiet week in Batumi']);
    // One document per incident (src/incidents/search-document.ts): "quiet" in the headline, "cells" in the citation.
    expect(await found('quiet cells')).toEqual(['A quiet week in Batumi']);
  });

  it('excludes a word as every language reads it, and keeps phrases and "or"', async () => {
    expect(await found('detained -checkpoint')).toEqual(['Journalist held for a week']);
    expect(await found('"near Argun"')).toEqual(['Three men detained at a checkpoint near Argun']);
    expect((await found('похищены or secuestrados')).sort()).toEqual(['Periodistas secuestrados en la frontera', 'Трое мужчин похищены в Чечне']);
    expect(await found('nothing-like-this-anywhere')).toEqual([]);
  });

  it('finds incidents by the name of their place, in any language, and of their situation when it is visible', async () => {
    const repository = t.dataSource.getRepository(Incident);
    const inGrozny = await repository.save(
      repository.create({ kind: IncidentKind.OTHER, headline: 'A night raid on a family home', language: 'en', regionCode: 'RU-CE', date: date('2020-03'), victims: count(), deaths: count() }),
    );
    const [{ id: hidden }] = await t.dataSource.query(
      `INSERT INTO situation (name, date_start, date_precision, confidentiality) VALUES ('Operation Quietwillow', '2020-01-01', 'MONTH', 'CONFIDENTIAL') RETURNING id`,
    );
    const [{ id: shown }] = await t.dataSource.query(
      `INSERT INTO situation (name, description, date_start, date_precision) VALUES ('Campaign of night raids in Ingushetia', 'Reported by neighbours', '2020-01-01', 'MONTH') RETURNING id`,
    );
    const underHidden = await repository.save(
      repository.create({ kind: IncidentKind.OTHER, headline: 'Arrests at a market', language: 'en', regionCode: 'GE', date: date('2020-03'), victims: count(), deaths: count(), situationId: hidden }),
    );
    const underShown = await repository.save(
      repository.create({ kind: IncidentKind.OTHER, headline: 'A teacher taken from a school', language: 'en', regionCode: 'GE', date: date('2020-03'), victims: count(), deaths: count(), situationId: shown }),
    );
    // The region's common names in each language, and its country's.
    for (const name of ['Chechnya', 'Чечня', 'Tchétchénie']) expect(await found(name)).toContain(inGrozny.headline);
    expect(await found('Russia')).toContain(inGrozny.headline);
    expect(await found('Chechnya')).not.toContain(underShown.headline);
    // A visible situation's name finds its incidents; a hidden one's finds nothing.
    expect(await found('Ingushetia')).toEqual([underShown.headline]);
    expect(await found('Quietwillow')).toEqual([]);
    // Its name, not its description.
    expect(await found('neighbours')).toEqual([]);
    const { body } = await t.gql<any>('query($s: String!) { incidents(filter: { search: $s }) { totalCount } }', { s: 'Quietwillow' });
    expect(body.data.incidents.totalCount).toBe(0);
    expect(underHidden.id).toBeDefined();
  });
});
