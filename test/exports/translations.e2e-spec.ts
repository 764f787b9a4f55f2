/**
 * The CSV exports' `language` option: each record's text in the first of the reader's languages it
 * has, the original when none, with who translated it. The same choice as GraphQL's
 * `inLanguage(preferred:)` (compared on every row), the same rows as without the option, and
 * nothing of a record the viewer may not see.
 */
import { Role } from '../../src/access/role';
import { DEMO_TRANSLATOR } from '../../src/demo/demo-data';
import { startTestApp, TestApp } from '../support/test-app';
import { csv, download } from './support';

const ADDED = ['text_language', 'is_translation', 'headline_in_language', 'description_in_language', 'translator', 'translation_method', 'untranslated'];
const CREATE = `mutation($input: CreateIncidentInput!) { createIncident(input: $input) { id } }`;
const HIDDEN_WORD = 'Zakrytoslovo';

describe('CSV exports in the reader\'s language', () => {
  let t: TestApp;
  let abductionsId: string;
  let translatedId: string;
  let restrictedId: string;

  beforeAll(async () => {
    t = await startTestApp();
    [{ id: abductionsId }] = await t.dataSource.query(`SELECT id FROM incident WHERE headline LIKE 'Over 100 men%'`);
    const [{ id: sourceId }] = await t.dataSource.query(`SELECT id FROM source WHERE confidentiality = 'PUBLIC' AND deleted_at IS NULL ORDER BY id LIMIT 1`);
    const create = async (input: Record<string, unknown>) => {
      const { body } = await t.gql<any>(CREATE, { input: { kind: 'DETENTION', date: { edtf: '2019-05' }, regionCode: 'RU-CE', citations: [{ sourceId, claim: 'detention' }], ...input } }, Role.EDITOR);
      expect(body.errors).toBeUndefined();
      return body.data.createIncident.id as string;
    };
    translatedId = await create({
      headline: 'Two activists detained in Grozny',
      description: 'Both were held overnight.',
      translations: [
        { language: 'fr', headline: 'Deux militants détenus à Grozny', translator: 'Jeanne Translator', method: 'HUMAN' },
        { language: 'pt', headline: 'Dois ativistas detidos em Grozny', description: 'Ambos ficaram detidos durante a noite.', translator: 'Tradutora', method: 'MACHINE_REVIEWED' },
      ],
    });
    restrictedId = await create({
      headline: 'A restricted report',
      confidentiality: 'RESTRICTED',
      translations: [{ language: 'fr', headline: `Un rapport ${HIDDEN_WORD}`, translator: 'Jeanne Translator', method: 'HUMAN' }],
    });
  });
  afterAll(() => t.close());

  const row = (rows: Record<string, string>[], id: string) => rows.find((r) => r.id === id)!;

  it('adds the text in the language asked for at the end, keeping the original and the rows as they were', async () => {
    const plain = await csv(t, '/exports/incidents.csv');
    const ru = await csv(t, '/exports/incidents.csv?language=ru');
    expect(ru.header).toEqual([...plain.header, ...ADDED]);
    expect(ru.rows.map((r) => r.id)).toEqual(plain.rows.map((r) => r.id));
    const abductions = row(ru.rows, abductionsId);
    expect(abductions).toMatchObject({ text_language: 'ru', is_translation: 'true', translator: DEMO_TRANSLATOR, translation_method: 'MACHINE', untranslated: '' });
    expect(abductions.headline_in_language).toContain('похищены в Чечне');
    expect(abductions.headline).toBe(row(plain.rows, abductionsId).headline);
    // A record with no Russian text: the original, marked as such.
    expect(row(ru.rows, translatedId)).toMatchObject({ text_language: 'en', is_translation: 'false', headline_in_language: 'Two activists detained in Grozny', translator: '', translation_method: '' });
  });

  it('takes the first language the record has, a regional tag matching its language, field by field', async () => {
    const { rows } = await csv(t, '/exports/incidents.csv?language=de,pt-BR,fr');
    expect(row(rows, translatedId)).toMatchObject({ text_language: 'pt', is_translation: 'true', headline_in_language: 'Dois ativistas detidos em Grozny', translator: 'Tradutora', translation_method: 'MACHINE_REVIEWED' });
    const fr = row((await csv(t, '/exports/incidents.csv?language=fr')).rows, translatedId);
    expect(fr).toMatchObject({ text_language: 'fr', headline_in_language: 'Deux militants détenus à Grozny', description_in_language: 'Both were held overnight.', untranslated: 'description' });
  });

  it('gives every row what GraphQL\'s inLanguage gives, for every role', async () => {
    for (const preferred of [['ru'], ['fr', 'ru'], ['pt-BR'], ['en-GB', 'fr'], ['pt', 'ru'], ['de']]) {
      for (const role of [Role.PUBLIC, Role.RESEARCHER, Role.EDITOR]) {
        const { rows } = await csv(t, `/exports/incidents.csv?language=${preferred.join(',')}`, role);
        const { body } = await t.gql<any>(
          `query($p: [String!]!) { incidents(first: 100) { edges { node { id inLanguage(preferred: $p) { language isTranslation headline description translator method untranslated } } } } }`,
          { p: preferred },
          role,
        );
        expect(body.errors).toBeUndefined();
        const nodes = body.data.incidents.edges.map((e: any) => e.node);
        expect(nodes.length).toBe(rows.length);
        for (const { id, inLanguage: g } of nodes) {
          const r = row(rows, id);
          expect([id, r.text_language, r.is_translation, r.headline_in_language, r.description_in_language, r.translator, r.translation_method, r.untranslated]).toEqual([
            id, g.language, String(g.isTranslation), g.headline ?? '', g.description ?? '', g.translator ?? '', g.method ?? '', g.untranslated.join(' | '),
          ]);
        }
      }
    }
  });

  it('writes nothing of a record the viewer may not see', async () => {
    const pub = await download(t, '/exports/incidents.csv?language=fr');
    expect(pub.status).toBe(200);
    expect(pub.text).not.toContain(HIDDEN_WORD);
    expect(pub.text).not.toContain(restrictedId);
    const researcher = await csv(t, '/exports/incidents.csv?language=fr', Role.RESEARCHER);
    expect(row(researcher.rows, restrictedId).headline_in_language).toBe(`Un rapport ${HIDDEN_WORD}`);
  });

  it('translates responses, situations and citations too', async () => {
    const responses = await csv(t, '/exports/responses.csv?language=ru');
    expect(responses.header.slice(-7)).toEqual(['text_language', 'is_translation', 'title_in_language', 'description_in_language', 'translator', 'translation_method', 'untranslated']);
    expect(responses.rows.some((r) => r.is_translation === 'true' && /[а-я]/.test(r.title_in_language))).toBe(true);
    const situations = await csv(t, '/exports/situations.csv?language=ru');
    expect(situations.rows.some((r) => r.is_translation === 'true' && /[а-я]/.test(r.name_in_language))).toBe(true);
    const citations = await csv(t, '/exports/citations.csv?language=ru');
    const translated = citations.rows.filter((r) => r.is_translation === 'true');
    expect(translated.length).toBeGreaterThan(0);
    for (const c of translated) expect(c.excerpt_in_language).toMatch(/[а-я]/);
  });

  it('gives a map\'s GeoJSON the same text in the reader\'s language, as properties', async () => {
    const plain = JSON.parse((await download(t, '/exports/incidents.geojson')).text);
    const ru = JSON.parse((await download(t, '/exports/incidents.geojson?language=ru')).text);
    expect(ru.features.map((f: any) => f.id)).toEqual(plain.features.map((f: any) => f.id));
    const abductions = ru.features.find((f: any) => f.id === abductionsId);
    expect(abductions.properties).toMatchObject({ text_language: 'ru', is_translation: true, translator: DEMO_TRANSLATOR, headline: plain.features.find((f: any) => f.id === abductionsId).properties.headline });
    expect(abductions.properties.headline_in_language).toContain('похищены в Чечне');
    expect(Object.keys(abductions.properties)).toEqual([...Object.keys(plain.features[0].properties), ...ADDED]);
    expect((await download(t, '/exports/incidents.geojson?language=fr')).text).not.toContain(HIDDEN_WORD);
  });

  it('writes a timeline\'s slides in the reader\'s language, each translated one saying so and by whom', async () => {
    const plain = JSON.parse((await download(t, '/exports/timeline.json')).text);
    const ru = JSON.parse((await download(t, '/exports/timeline.json?language=ru')).text);
    expect(ru.events.map((e: any) => e.unique_id)).toEqual(plain.events.map((e: any) => e.unique_id));
    const slide = ru.events.find((e: any) => e.unique_id === `incident-${abductionsId}`);
    expect(slide.text.headline).toContain('похищены в Чечне');
    expect(slide.text.text).toContain(`<p class="vigil-translation"><em>Translated from English by ${DEMO_TRANSLATOR} (machine translation).`);
    // Records without Russian text are as they were.
    const untranslated = ru.events.filter((e: any) => !e.text.text.includes('vigil-translation'));
    expect(untranslated.length).toBeGreaterThan(0);
    for (const e of untranslated) expect(e).toEqual(plain.events.find((p: any) => p.unique_id === e.unique_id));
    expect((await download(t, '/exports/timeline.json?language=fr')).text).not.toContain(HIDDEN_WORD);
    const researcher = JSON.parse((await download(t, '/exports/timeline.json?language=fr', Role.RESEARCHER)).text);
    expect(researcher.events.find((e: any) => e.unique_id === `incident-${restrictedId}`).text.headline).toBe(`Un rapport ${HIDDEN_WORD}`);
  });

  it('refuses a language that is not a BCP 47 tag, naming the parameter', async () => {
    for (const bad of ['language=Russian%20please', 'language=ru,%3Bdrop', 'language=']) {
      const d = await download(t, `/exports/incidents.csv?${bad}`);
      expect(d.status).toBe(400);
      expect(d.text).toMatch(/language\[\d\]: must be a BCP 47 language tag/);
    }
    expect((await download(t, '/exports/sources.csv?language=ru')).status).toBe(400);
  });
});
