/**
 * Issue 16: records carry translations of their text, marked as translations with who made them;
 * a reader asks for the languages they prefer and falls back to the original; search finds a record
 * through a translation; and a search result shows where it matched (ts_headline), from text the
 * viewer may read only.
 */
import { Role } from '../src/access/role';
import { DEMO_TRANSLATOR } from '../src/demo/demo-data';
import { startTestApp, TestApp } from './support/test-app';

const CREATE = `mutation($input: CreateIncidentInput!) { createIncident(input: $input) { id version translations { language headline description translator method } } }`;
const UPDATE = `mutation($input: UpdateIncidentInput!) { updateIncident(input: $input) { id version } }`;
const IN_LANGUAGE = `query($id: ID!, $preferred: [String!]!) { incident(id: $id) {
  headline inLanguage(preferred: $preferred) { language originalLanguage isTranslation translator method headline description untranslated } } }`;
const SEARCH = `query($search: String!) { incidents(filter: { search: $search }, orderBy: RELEVANCE) { edges { node { id headline
  matchedPassage(search: $search) { text parts { text matched } field language isTranslation recordType recordId confidentiality } } } } }`;

describe('translations and matched passages', () => {
  let t: TestApp;
  let sourceId: string;
  let abductionsId: string;

  beforeAll(async () => {
    t = await startTestApp();
    [{ id: sourceId }] = await t.dataSource.query(`SELECT id FROM source WHERE confidentiality = 'PUBLIC' AND deleted_at IS NULL ORDER BY id LIMIT 1`);
    [{ id: abductionsId }] = await t.dataSource.query(`SELECT id FROM incident WHERE headline LIKE 'Over 100 men%'`);
  });
  afterAll(() => t.close());

  const search = async (query: string, role: Role = Role.PUBLIC) => {
    const { body } = await t.gql<any>(SEARCH, { search: query }, role);
    expect(body.errors).toBeUndefined();
    return body.data.incidents.edges.map((e: any) => e.node) as any[];
  };

  describe('the demo data', () => {
    it('has Russian translations of the seed reports, marked as made for the demo, that search finds', async () => {
      const found = await search('похищены в Чечне');
      expect(found.map((n) => n.id)).toContain(abductionsId);
      const { body } = await t.gql<any>(IN_LANGUAGE, { id: abductionsId, preferred: ['ru'] });
      expect(body.errors).toBeUndefined();
      expect(body.data.incident.inLanguage).toMatchObject({
        language: 'ru',
        originalLanguage: 'en',
        isTranslation: true,
        translator: DEMO_TRANSLATOR,
        method: 'MACHINE',
        untranslated: [],
      });
      expect(body.data.incident.inLanguage.headline).toContain('похищены в Чечне');
      // The original is untouched.
      expect(body.data.incident.headline).toMatch(/^Over 100 men/);
    });

    it('translates key excerpts of the sources, as translations of the citation, not as new sources', async () => {
      const { body } = await t.gql<any>(`query($id: ID!) { incident(id: $id) { citations { excerpt source { title }
        inLanguage(preferred: ["ru"]) { excerpt isTranslation translator } } } }`, { id: abductionsId });
      expect(body.errors).toBeUndefined();
      const translated = body.data.incident.citations.filter((c: any) => c.inLanguage.isTranslation);
      expect(translated.length).toBeGreaterThan(0);
      for (const c of translated) {
        expect(c.inLanguage.translator).toBe(DEMO_TRANSLATOR);
        expect(c.inLanguage.excerpt).toMatch(/[а-я]/);
        expect(c.excerpt).not.toMatch(/[а-я]/); // the quotation itself stays in the source's words
      }
      const [{ count }] = await t.dataSource.query(`SELECT count(*)::int AS count FROM source WHERE language = 'ru'`);
      expect(count).toBe(0);
    });
  });

  describe('a reader\'s languages', () => {
    let id: string;
    beforeAll(async () => {
      const { body } = await t.gql<any>(CREATE, {
        input: {
          kind: 'DETENTION', headline: 'Two activists detained in Grozny', description: 'Both were held overnight.', date: { edtf: '2019-05' }, regionCode: 'RU-CE',
          citations: [{ sourceId, claim: 'detention' }],
          translations: [
            { language: 'fr', headline: 'Deux militants détenus à Grozny', translator: 'Jeanne Translator', method: 'HUMAN' },
            { language: 'ru', headline: 'Двое активистов задержаны в Грозном', description: 'Обоих держали всю ночь.', translator: 'DeepL', method: 'MACHINE_REVIEWED' },
          ],
        },
      }, Role.EDITOR);
      expect(body.errors).toBeUndefined();
      id = body.data.createIncident.id;
      expect(body.data.createIncident.translations).toEqual([
        { language: 'fr', headline: 'Deux militants détenus à Grozny', description: null, translator: 'Jeanne Translator', method: 'HUMAN' },
        { language: 'ru', headline: 'Двое активистов задержаны в Грозном', description: 'Обоих держали всю ночь.', translator: 'DeepL', method: 'MACHINE_REVIEWED' },
      ]);
    });

    const read = async (preferred: string[]) => {
      const { body } = await t.gql<any>(IN_LANGUAGE, { id, preferred });
      expect(body.errors).toBeUndefined();
      return body.data.incident.inLanguage;
    };

    it('gets the first preferred language the record has, a region subtag matching its language', async () => {
      expect(await read(['de', 'ru-RU', 'fr'])).toMatchObject({ language: 'ru', isTranslation: true, headline: 'Двое активистов задержаны в Грозном', translator: 'DeepL' });
      expect(await read(['fr'])).toMatchObject({ language: 'fr', headline: 'Deux militants détenus à Grozny', method: 'HUMAN' });
    });

    it('falls back to the original, field by field where the translation leaves one out, and says so', async () => {
      expect(await read(['fr'])).toMatchObject({ description: 'Both were held overnight.', untranslated: ['description'] });
      expect(await read(['de', 'en-GB'])).toMatchObject({ language: 'en', isTranslation: false, translator: null, headline: 'Two activists detained in Grozny' });
      expect(await read([])).toMatchObject({ language: 'en', isTranslation: false });
    });

    it('finds the record through a translation, in another word form, with the passage from it', async () => {
      const found = await search('détention');
      const node = found.find((n) => n.id === id);
      expect(node).toBeDefined();
      expect(node.matchedPassage).toMatchObject({ field: 'headline', language: 'fr', isTranslation: true, recordType: 'Incident', recordId: id, confidentiality: 'PUBLIC' });
      expect(node.matchedPassage.parts).toContainEqual({ text: 'détenus', matched: true });
    });

    it('refuses a bad translation with a message naming the field, and writes nothing', async () => {
      const bad = async (translations: unknown[], path: RegExp) => {
        const { body } = await t.gql<any>(UPDATE, { input: { id, version: 1, changes: { translations } } }, Role.EDITOR);
        expect(body.errors![0].extensions!.code).toBe('BAD_USER_INPUT');
        expect(body.errors![0].message).toMatch(path);
      };
      await bad([{ language: 'Russian', headline: 'x', translator: 'me', method: 'HUMAN' }], /translations\[0\]\.language: must be a BCP 47 language tag/);
      await bad([{ language: 'ru', translator: 'me', method: 'HUMAN' }], /translations: entry 1 translates nothing: give at least one of headline, description/);
      await bad([{ language: 'ru', headline: 'x', translator: '', method: 'HUMAN' }], /translations\[0\]\.translator/);
      await bad([
        { language: 'ru', headline: 'x', translator: 'me', method: 'HUMAN' },
        { language: 'RU', headline: 'y', translator: 'me', method: 'HUMAN' },
      ], /translations: has two translations into RU/);
      const [{ translations }] = await t.dataSource.query('SELECT translations FROM incident WHERE id = $1', [id]);
      expect(translations).toHaveLength(2);
      const { body } = await t.gql<any>(IN_LANGUAGE, { id, preferred: ['not a tag'] });
      expect(body.errors?.[0].message).toMatch(/preferred\[0\]: must be a BCP 47 language tag/);
    });

    it('is part of the record\'s history: a change is a new version, the same list again is not', async () => {
      const [{ version, translations }] = await t.dataSource.query('SELECT version, translations FROM incident WHERE id = $1', [id]);
      // The same translations, keys in another order: no change.
      const same = translations.map((tr: Record<string, string>) => Object.fromEntries(Object.entries(tr).reverse()));
      const unchanged = await t.gql<any>(UPDATE, { input: { id, version, changes: { translations: same } } }, Role.EDITOR);
      expect(unchanged.body.errors).toBeUndefined();
      expect(unchanged.body.data.updateIncident.version).toBe(version);
      const changed = await t.gql<any>(UPDATE, { input: { id, version, changes: { translations: [translations[0]] } } }, Role.EDITOR);
      expect(changed.body.errors).toBeUndefined();
      expect(changed.body.data.updateIncident.version).toBe(version + 1);
      const revisions = await t.dataSource.query(`SELECT changed_fields FROM revision WHERE subject_id = $1 ORDER BY version DESC LIMIT 1`, [id]);
      expect(revisions[0].changed_fields).toEqual(['translations']);
      expect((await read(['ru'])).isTranslation).toBe(false);
    });
  });

  describe('the matched passage', () => {
    const WORD = 'zqxwordlantern';
    let incidentId: string;
    let hiddenCitationId: string;
    beforeAll(async () => {
      const { body } = await t.gql<any>(CREATE, {
        input: {
          kind: 'OTHER', headline: 'A public record about a checkpoint', date: { edtf: '2020-01' }, regionCode: 'RU-CE',
          internalNotes: `Editor's note naming ${WORD}`,
          citations: [
            { sourceId, claim: 'public claim', excerpt: 'The checkpoint was closed all day.', confidentiality: 'PUBLIC' },
            { sourceId, claim: 'witness', excerpt: `The witness ${WORD} saw it happen.`, confidentiality: 'RESTRICTED' },
          ],
        },
      }, Role.EDITOR);
      expect(body.errors).toBeUndefined();
      incidentId = body.data.createIncident.id;
      [{ id: hiddenCitationId }] = await t.dataSource.query(`SELECT id FROM citation WHERE incident_id = $1 AND confidentiality = 'RESTRICTED'`, [incidentId]);
    });

    it('marks the matched words of the best match, as parts a page can show without HTML', async () => {
      const [node] = (await search('tortured')).filter((n) => n.headline.startsWith('Torture and killing'));
      expect(node.matchedPassage.recordType).toMatch(/Incident|Citation/);
      expect(node.matchedPassage.parts.some((p: any) => p.matched && /tortur/i.test(p.text))).toBe(true);
      expect(node.matchedPassage.text).toBe(node.matchedPassage.parts.map((p: any) => p.text).join(''));
      expect(node.matchedPassage.text).not.toMatch(/[\u0001-\u0003<>]/);
    });

    it('comes from a visible citation when the match is there', async () => {
      const [node] = (await search('checkpoint closed')).filter((n) => n.id === incidentId);
      expect(node.matchedPassage).toMatchObject({ recordType: 'Citation', field: 'excerpt', confidentiality: 'PUBLIC' });
    });

    it('never holds text the viewer may not read: a restricted citation, or an editor\'s notes', async () => {
      // The public does not find the incident by the hidden word, nor see the passage when asking for it directly.
      expect(await search(WORD)).toEqual([]);
      const { body } = await t.gql<any>(`query($id: ID!, $s: String!) { incident(id: $id) { matchedPassage(search: $s) { text } } }`, { id: incidentId, s: WORD });
      expect(body.errors).toBeUndefined();
      expect(body.data.incident.matchedPassage).toBeNull();
      expect(JSON.stringify(body)).not.toContain(WORD);
      // The researcher may read the restricted citation: the passage comes from it, and is audited as it.
      const [{ id: since }] = await t.dataSource.query('SELECT coalesce(max(id), 0) AS id FROM audit_event');
      const [node] = (await search(WORD, Role.RESEARCHER)).filter((n) => n.id === incidentId);
      expect(node.matchedPassage).toMatchObject({ recordType: 'Citation', recordId: hiddenCitationId, confidentiality: 'RESTRICTED' });
      expect(node.matchedPassage.text).toContain(WORD);
      const events = await t.dataSource.query('SELECT subjects, kinds FROM audit_event WHERE id > $1', [since]);
      expect(events.some((e: any) => e.subjects.includes(`Citation:${hiddenCitationId}`) && e.kinds.includes('RECORD_ABOVE_PUBLIC'))).toBe(true);
      // Notes are never a candidate, even for an editor.
      const editor = await t.gql<any>(`query($id: ID!, $s: String!) { incident(id: $id) { matchedPassage(search: $s) { recordType recordId } } }`, { id: incidentId, s: 'Editor\'s note' }, Role.EDITOR);
      expect(editor.body.data.incident.matchedPassage).toBeNull();
    });
  });
});
