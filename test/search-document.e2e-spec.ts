import { Random } from '../src/generate/random';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Role as AccessRole } from '../src/access/role';
import { Viewer } from '../src/access/viewer';
import { visibleCondition } from '../src/access/record-visibility';
import { generateData } from '../src/generate/generator';
import { importCsvFiles } from '../src/imports/importer';
import {
  DEFER_SEARCH_DOCUMENTS_SQL,
  REBUILD_SEARCH_DOCUMENTS_SQL,
  REFRESH_DEFERRED_SEARCH_DOCUMENTS_SQL,
  SEARCH_DOCUMENT_TABLES,
  SEARCH_DOCUMENT_TRIGGERS,
} from '../src/incidents/search-document';
import { Role, startTestApp, TestApp } from './support/test-app';

/**
 * The incidents' search documents (migration IncidentSearchDocument) hold, for each clearance, the
 * text that clearance may read of each incident it may see: its own and its visible citations'.
 * They are kept by triggers on incident, citation and source; here they must always equal what a
 * rebuild from the tables gives, after any write (the API, plain SQL, the import), and each role's
 * search must follow every change of level or deletion.
 */

const SEARCH = `query($search: String, $order: IncidentOrder!) {
  incidents(filter: { search: $search }, orderBy: $order, first: 50) { totalCount edges { node { id } } }
}`;
const UPDATE = (type: string) => `mutation($input: Update${type}Input!) { update${type}(input: $input) { id } }`;
const DELETE = 'mutation($input: RecordVersionInput!) { deleteRecord(input: $input) { id } }';
const RESTORE = 'mutation($input: RecordVersionInput!) { restoreRecord(input: $input) { id } }';
const LEVELS = ['PUBLIC', 'RESTRICTED', 'CONFIDENTIAL'];

describe('search documents', () => {
  let t: TestApp;
  const all = async <T>(sql: string, parameters: unknown[] = []): Promise<T[]> => t.dataSource.query(sql, parameters);
  const row = async <T>(sql: string, parameters: unknown[] = []): Promise<T> => (await all<T>(sql, parameters))[0];

  const documents = async () => {
    const out: Record<string, string[]> = {};
    for (const table of SEARCH_DOCUMENT_TABLES) {
      out[table] = (await all<{ r: string }>(`SELECT concat_ws(' | ', incident_id, region_code, document::text) AS r FROM ${table} ORDER BY incident_id`)).map((r) => r.r);
    }
    return out;
  };
  /** The documents as the triggers left them, and as a rebuild from the tables gives them (the
   * rebuild is kept: a failure does not spill into the next test). */
  const keptAndRebuilt = async () => {
    const kept = await documents();
    await t.dataSource.query(REBUILD_SEARCH_DOCUMENTS_SQL);
    return { kept, rebuilt: await documents() };
  };
  const expectCurrent = async () => {
    const { kept, rebuilt } = await keptAndRebuilt();
    expect(kept).toEqual(rebuilt);
    // The comparison means something: every clearance has documents, the higher ones more.
    const sizes = SEARCH_DOCUMENT_TABLES.map((table) => rebuilt[table].length);
    expect(sizes[0]).toBeGreaterThan(50);
    expect(sizes[1]).toBeGreaterThan(sizes[0]);
    expect(sizes[2]).toBeGreaterThan(sizes[1]);
  };

  const found = async (word: string, as: Role) => {
    const ids = [];
    for (const order of ['DATE_DESC', 'RELEVANCE']) {
      const { body } = await t.gql<any>(SEARCH, { search: word, order }, as);
      expect(body.errors).toBeUndefined();
      const page = body.data.incidents;
      ids.push({ total: page.totalCount, ids: page.edges.map((e: any) => e.node.id).sort() });
    }
    // The two plans (filterFirst, rankFirst) find the same incidents.
    expect(ids[1]).toEqual(ids[0]);
    return ids[0].ids as string[];
  };
  const foundBy = async (word: string) => ({
    public: await found(word, Role.PUBLIC),
    researcher: await found(word, Role.RESEARCHER),
    editor: await found(word, Role.EDITOR),
  });
  const version = async (table: string, id: string) => (await row<{ version: number }>(`SELECT version FROM ${table} WHERE id = $1`, [id])).version;
  const send = async (mutation: string, input: Record<string, unknown>, as = Role.EDITOR) => {
    const { body } = await t.gql<any>(mutation, { input }, as);
    expect(body.errors).toBeUndefined();
    return body.data;
  };

  beforeAll(async () => {
    t = await startTestApp({ demo: false });
    await generateData(t.dataSource, { incidents: 400, seed: 5 });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });

  it('are what a rebuild gives, on generated data', async () => {
    await expectCurrent();
  });

  it.each([
    ['written by each statement', false],
    ['deferred, then written for all at once (incident_document_refresh_deferred)', true],
  ])('hold exactly what the visibility rule (src/access/record-visibility.ts) lets each clearance read: the migrations\' copies of it cannot drift (%s)', async (_how, deferred) => {
    // Every case the rule tells apart, in a transaction rolled back at the end: cited sources
    // deleted and at each level, citations deleted and at each level, incidents deleted.
    const runner = t.dataSource.createQueryRunner();
    await runner.startTransaction();
    try {
      const q = async <T>(sql: string): Promise<T[]> => runner.query(sql);
      if (deferred) await q(DEFER_SEARCH_DOCUMENTS_SQL);
      const cited = `SELECT DISTINCT source_id FROM citation WHERE incident_id IS NOT NULL AND deleted_at IS NULL ORDER BY source_id`;
      await q(`UPDATE source SET deleted_at = now() WHERE id IN (${cited} LIMIT 3)`);
      await q(`UPDATE source SET confidentiality = 'RESTRICTED' WHERE id IN (${cited} OFFSET 3 LIMIT 3)`);
      await q(`UPDATE source SET confidentiality = 'CONFIDENTIAL' WHERE id IN (${cited} OFFSET 6 LIMIT 3)`);
      await q(`UPDATE citation SET deleted_at = now() WHERE id IN (SELECT id FROM citation WHERE incident_id IS NOT NULL ORDER BY id LIMIT 5)`);
      await q(`UPDATE citation SET confidentiality = 'CONFIDENTIAL' WHERE id IN (SELECT id FROM citation WHERE incident_id IS NOT NULL ORDER BY id OFFSET 5 LIMIT 5)`);
      await q(`UPDATE incident SET deleted_at = now() WHERE id IN (SELECT id FROM incident ORDER BY id LIMIT 5)`);
      if (deferred) {
        // Recorded, not written yet: a source's change reaches the documents only now.
        expect((await q<{ n: number }>('SELECT count(*)::int AS n FROM pg_temp.incident_document_deferred'))[0].n).toBeGreaterThan(10);
        await q(REFRESH_DEFERRED_SEARCH_DOCUMENTS_SQL);
      }
      for (const [k, table] of SEARCH_DOCUMENT_TABLES.entries()) {
      const levels = LEVELS.slice(0, k + 1).map((l) => `'${l}'`).join(', ');
      const rule = (entity: string, alias: string, options: Parameters<typeof visibleCondition>[3]) =>
        visibleCondition(entity, alias, 'levels', options).replace(/:\.\.\.levels/g, levels);
      // Editors find deleted incidents with includeDeleted; the list's rule still applies to them.
      const incidents = rule('Incident', 'i', { deleted: table !== 'incident_document_confidential' });
      const expected = await q<{ r: string }>(
        `SELECT concat_ws(' | ', i.id, i.region_code, (coalesce(i.search_vector, ''::tsvector) || coalesce((
           SELECT setweight(vigil_tsvector_agg(c.search_vector ORDER BY c.id), 'D') FROM citation c
            WHERE c.incident_id = i.id AND c.search_vector IS NOT NULL AND ${rule('Citation', 'c', { reachedBy: 'incident_id' })}), ''::tsvector))::text) AS r
         FROM incident i WHERE ${incidents} ORDER BY i.id`,
      );
      const kept = await q<{ r: string }>(`SELECT concat_ws(' | ', incident_id, region_code, document::text) AS r FROM ${table} ORDER BY incident_id`);
      expect({ table, rows: kept.map((e) => e.r) }).toEqual({ table, rows: expected.map((e) => e.r) });
      }
    } finally {
      await runner.rollbackTransaction();
      await runner.release();
    }
  });

  it('follow every role\'s view through the API: a word only in a hidden citation finds nothing below its level', async () => {
    const newSource = async (publisher: string) =>
      (
        await send(`mutation($input: CreateSourceInput!) { createSource(input: $input) { id } }`, {
          kind: 'NEWS_REPORT',
          publisher,
          title: 'Report',
          published: { edtf: '2019-03-04' },
          confidentiality: 'PUBLIC',
        })
      ).createSource.id as string;
    // The incident stays PUBLIC through everything below: it cites another public source too.
    const [published, source] = [await newSource('The Herald'), await newSource('The Courier')];
    const incident = (
      await send(`mutation($input: CreateIncidentInput!) { createIncident(input: $input) { id citations { id } } }`, {
        kind: 'DETENTION',
        headline: 'Arrest at the zentrovik station',
        date: { edtf: '2019-03-05' },
        regionCode: 'RU-CE',
        confidentiality: 'PUBLIC',
        citations: [
          { sourceId: published, claim: 'date', excerpt: 'A plain public account', confidentiality: 'PUBLIC' },
          { sourceId: source, claim: 'detail', excerpt: 'The quxwarble unit held them', confidentiality: 'RESTRICTED' },
        ],
      })
    ).createIncident;
    const [, hidden] = await all<{ id: string }>('SELECT id FROM citation WHERE incident_id = $1 ORDER BY excerpt', [incident.id]);
    const citation = (await all<{ id: string }>('SELECT id FROM citation WHERE incident_id = $1 AND excerpt LIKE $2', [incident.id, '%quxwarble%']))[0].id;
    expect(hidden.id).toBe(citation);
    const id = incident.id as string;
    const none = { public: [], researcher: [], editor: [] };

    // The citation is RESTRICTED: a researcher finds its word, the public not.
    expect(await foundBy('quxwarble')).toEqual({ public: [], researcher: [id], editor: [id] });
    // The incident's own words are the public's.
    expect((await foundBy('zentrovik')).public).toEqual([id]);
    // Published.
    await send(UPDATE('Citation'), { id: citation, version: await version('citation', citation), changes: { confidentiality: 'PUBLIC' } });
    expect(await foundBy('quxwarble')).toEqual({ public: [id], researcher: [id], editor: [id] });
    // Its source made RESTRICTED hides the citation from the public, with everything it quotes.
    await send(UPDATE('Source'), { id: source, version: await version('source', source), changes: { confidentiality: 'RESTRICTED' } });
    expect(await foundBy('quxwarble')).toEqual({ public: [], researcher: [id], editor: [id] });
    await send(UPDATE('Source'), { id: source, version: await version('source', source), changes: { confidentiality: 'PUBLIC' } });
    expect((await foundBy('quxwarble')).public).toEqual([id]);
    // The source deleted: its citations quote nothing anyone may read.
    await send(DELETE, { type: 'SOURCE', id: source, version: await version('source', source) });
    expect(await foundBy('quxwarble')).toEqual(none);
    await send(RESTORE, { type: 'SOURCE', id: source, version: await version('source', source) });
    expect((await foundBy('quxwarble')).public).toEqual([id]);
    // The citation's text changed, then the citation deleted and restored.
    await send(UPDATE('Citation'), { id: citation, version: await version('citation', citation), changes: { excerpt: 'The flimbrosk unit held them' } });
    expect(await foundBy('quxwarble')).toEqual(none);
    expect((await foundBy('flimbrosk')).public).toEqual([id]);
    await send(DELETE, { type: 'CITATION', id: citation, version: await version('citation', citation) });
    expect(await foundBy('flimbrosk')).toEqual(none);
    await send(RESTORE, { type: 'CITATION', id: citation, version: await version('citation', citation) });
    expect((await foundBy('flimbrosk')).public).toEqual([id]);
    // The incident made CONFIDENTIAL (its citations follow it), then deleted.
    await send(UPDATE('Incident'), { id, version: await version('incident', id), changes: { confidentiality: 'CONFIDENTIAL' } });
    expect(await foundBy('flimbrosk')).toEqual({ public: [], researcher: [], editor: [id] });
    expect(await foundBy('zentrovik')).toEqual({ public: [], researcher: [], editor: [id] });
    await send(DELETE, { type: 'INCIDENT', id, version: await version('incident', id) });
    expect(await foundBy('zentrovik')).toEqual(none);
    await expectCurrent();
  });

  it('follow the import: new records, and a level changed by a file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vigil-search-document-'));
    try {
      const write = async (name: string, text: string) => {
        const path = join(dir, name);
        await writeFile(path, text);
        return path;
      };
      const ids = {
        source: '0000000a-0000-4000-8000-000000000001',
        incident: '0000000b-0000-4000-8000-000000000001',
        cite: '0000000c-0000-4000-8000-000000000001',
        published: '0000000c-0000-4000-8000-000000000002',
      };
      const incidents = (level: string) =>
        `id,kind,headline,date_start,date_precision,region_code,confidentiality\n${ids.incident},DETENTION,Seized at the plimsoller market,2019-03-02,DAY,RU-CE,${level}\n`;
      const operator = { viewer: new Viewer(AccessRole.ADMIN, null, 'search document test') };
      await importCsvFiles(
        t.dataSource,
        [
          await write('sources.csv', `id,kind,publisher,title,published_start,published_precision,confidentiality\n${ids.source},NEWS_REPORT,Daily,Report,2019-03-04,DAY,PUBLIC\n`),
          await write('incidents.csv', incidents('PUBLIC')),
          await write('citations.csv', `id,source_id,incident_id,claim,excerpt,confidentiality\n${ids.cite},${ids.source},${ids.incident},seen,The grommelwick van,RESTRICTED\n${ids.published},${ids.source},${ids.incident},date,A public account,PUBLIC\n`),
        ],
        operator,
      );
      expect(await foundBy('grommelwick')).toEqual({ public: [], researcher: [ids.incident], editor: [ids.incident] });
      expect((await foundBy('plimsoller')).public).toContain(ids.incident);
      const updatedAt = (await row<{ at: Date }>('SELECT updated_at AS at FROM incident WHERE id = $1', [ids.incident])).at.toISOString();
      await importCsvFiles(
        t.dataSource,
        [await write('again.csv', incidents('RESTRICTED').replace('confidentiality\n', 'confidentiality,updated_at\n').replace(/RESTRICTED\n$/, `RESTRICTED,${updatedAt}\n`))],
        operator,
      );
      expect((await foundBy('plimsoller')).public).not.toContain(ids.incident);
      expect((await foundBy('plimsoller')).researcher).toContain(ids.incident);
      await expectCurrent();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  describe('deferred for a transaction (incident_document_defer, the import\'s)', () => {
    /** Runs `work` on a connection of its own, in a transaction committed at the end. */
    const inTransaction = async (work: (q: <T>(sql: string, parameters?: unknown[]) => Promise<T[]>) => Promise<void>) => {
      const runner = t.dataSource.createQueryRunner();
      await runner.startTransaction();
      try {
        await work((sql, parameters) => runner.query(sql, parameters));
        await runner.commitTransaction();
      } catch (error) {
        await runner.rollbackTransaction();
        throw error;
      } finally {
        await runner.release();
      }
    };
    /** A PUBLIC incident with a PUBLIC citation of a PUBLIC source, by plain SQL; its id. */
    const insertIncident = async (q: <T>(sql: string, parameters?: unknown[]) => Promise<T[]>, word: string) => {
      const [{ id }] = await q<{ id: string }>(
        `INSERT INTO incident (kind, headline, date_start, date_precision, region_code, confidentiality)
         VALUES ('DETENTION', $1, date '2019-01-01', 'DAY', 'FR', 'PUBLIC') RETURNING id`,
        [`Held near ${word}`],
      );
      await q(
        `INSERT INTO citation (source_id, incident_id, excerpt, confidentiality)
         SELECT s.id, $1, $2, 'PUBLIC' FROM source s WHERE s.confidentiality = 'PUBLIC' AND s.deleted_at IS NULL ORDER BY s.id LIMIT 1`,
        [id, `Quoted ${word}x`],
      );
      return id;
    };
    const documentOf = async (q: <T>(sql: string, parameters?: unknown[]) => Promise<T[]>, id: string) =>
      (await q<{ document: string }>('SELECT document::text AS document FROM incident_document_public WHERE incident_id = $1', [id]))[0]?.document ?? null;

    it('records instead of rewriting, rewrites on refresh_deferred, and leaves nothing on for the connection', async () => {
      const runner = t.dataSource.createQueryRunner();
      try {
        await runner.startTransaction();
        const q = <T>(sql: string, parameters?: unknown[]): Promise<T[]> => runner.query(sql, parameters);
        await q(DEFER_SEARCH_DOCUMENTS_SQL);
        const id = await insertIncident(q, 'vorbleck');
        // Deferred: not written yet, in this transaction.
        expect(await documentOf(q, id)).toBeNull();
        await q(REFRESH_DEFERRED_SEARCH_DOCUMENTS_SQL);
        expect(await documentOf(q, id)).toContain('vorbleck');
        await runner.commitTransaction();

        // The same connection, next transaction: the setting and the tables went with the last one,
        // and a write's documents are written by its own statement again.
        await runner.startTransaction();
        expect((await q<{ s: string | null }>(`SELECT current_setting('vigil.defer_search_documents', true) AS s`))[0].s || null).toBeNull();
        expect((await q<{ t: string | null }>(`SELECT to_regclass('pg_temp.incident_document_deferred')::text AS t`))[0].t).toBeNull();
        const next = await insertIncident(q, 'quintaspel');
        expect(await documentOf(q, next)).toContain('quintaspel');
        await runner.commitTransaction();
      } finally {
        if (runner.isTransactionActive) await runner.rollbackTransaction();
        await runner.release();
      }
      await expectCurrent();
    });

    it('are rewritten at COMMIT when the transaction did not ask for it', async () => {
      let id = '';
      await inTransaction(async (q) => {
        await q(DEFER_SEARCH_DOCUMENTS_SQL);
        id = await insertIncident(q, 'drabbleton');
        // A later statement in the transaction changes what the document holds.
        await q(`UPDATE incident SET headline = 'Held near glimmerwax' WHERE id = $1`, [id]);
        expect(await documentOf(q, id)).toBeNull();
      });
      const document = await documentOf((sql, parameters) => all(sql, parameters), id);
      // The headline as the last statement left it; the citation's own word stays.
      expect(document).toContain("'glimmerwax'");
      expect(document).not.toContain("'drabbleton'");
      expect(document).toContain("'drabbletonx'");
      expect(await foundBy('glimmerwax')).toEqual({ public: [id], researcher: [id], editor: [id] });
      await expectCurrent();
    });

    it('a level raised under deferral leaves no document of the hidden incident behind', async () => {
      const [target] = await all<{ id: string; document: string }>(
        `SELECT i.id, d.document::text AS document FROM incident i JOIN incident_document_public d ON d.incident_id = i.id
          WHERE i.confidentiality = 'PUBLIC' AND i.deleted_at IS NULL ORDER BY i.id LIMIT 1`,
      );
      expect(target).toBeDefined();
      await inTransaction(async (q) => {
        await q(DEFER_SEARCH_DOCUMENTS_SQL);
        await q(`UPDATE incident SET confidentiality = 'CONFIDENTIAL' WHERE id = $1`, [target.id]);
      });
      expect(await all('SELECT 1 FROM incident_document_public WHERE incident_id = $1', [target.id])).toEqual([]);
      expect(await all('SELECT 1 FROM incident_document_restricted WHERE incident_id = $1', [target.id])).toEqual([]);
      await expectCurrent();
    });

    it('set any other way than incident_document_defer (a session\'s SET), it refuses the write rather than leave documents stale', async () => {
      const runner = t.dataSource.createQueryRunner();
      try {
        await runner.query(`SET vigil.defer_search_documents = on`);
        await expect(insertIncident((sql, parameters) => runner.query(sql, parameters), 'snarvelby')).rejects.toThrow(/incident_document_deferred/);
      } finally {
        await runner.query(`RESET vigil.defer_search_documents`);
        await runner.release();
      }
      expect(await all(`SELECT 1 FROM incident WHERE headline = 'Held near snarvelby'`)).toEqual([]);
    });
  });

  it('are what a rebuild gives after random edits through the API and plain SQL', async () => {
    const random = new Random(18, 'search-documents');
    let done = 0;
    const attempt = async (mutation: string, input: Record<string, unknown>) => {
      const { body } = await t.gql(mutation, { input }, Role.EDITOR);
      // Some random changes are refused by the data rules (e.g. PUBLIC without a public source): fine.
      if (!body.errors) done++;
    };
    const pick = (table: string, where = 'TRUE') =>
      row<{ id: string; version: number; incident_id?: string }>(`SELECT * FROM ${table} WHERE ${where} ORDER BY md5(id::text || $1) LIMIT 1`, [random.float()]);
    for (let step = 0; step < 60; step++) {
      const op = random.pick(['incident', 'citation', 'source', 'delete', 'restore', 'sql']);
      if (op === 'incident') {
        const target = await pick('incident');
        const changes = random.float() < 0.5 ? { confidentiality: random.pick(LEVELS) } : { headline: `Edited prison ${step}`, regionCode: random.pick(['RU-CE', 'FR', 'UA']) };
        await attempt(UPDATE('Incident'), { id: target.id, version: target.version, changes });
      } else if (op === 'citation') {
        const target = await pick('citation', 'incident_id IS NOT NULL');
        const changes = random.float() < 0.5 ? { confidentiality: random.pick(LEVELS) } : { excerpt: `Quoted anew ${step}` };
        await attempt(UPDATE('Citation'), { id: target.id, version: target.version, changes });
      } else if (op === 'source') {
        const target = await pick('source', 'id IN (SELECT source_id FROM citation WHERE incident_id IS NOT NULL)');
        await attempt(UPDATE('Source'), { id: target.id, version: target.version, changes: { confidentiality: random.pick(LEVELS) } });
      } else if (op === 'delete' || op === 'restore') {
        const table = random.pick(['incident', 'citation', 'source']);
        const target = await pick(table, `deleted_at IS ${op === 'delete' ? '' : 'NOT '}NULL`);
        if (target) await attempt(op === 'delete' ? DELETE : RESTORE, { type: table.toUpperCase(), id: target.id, version: target.version });
      } else {
        // Plain SQL, several rows in one statement.
        await t.dataSource.query(`UPDATE citation SET confidentiality = $1 WHERE id IN (SELECT id FROM citation WHERE incident_id IS NOT NULL ORDER BY md5(id::text || $2) LIMIT 5)`, [
          random.pick(LEVELS),
          random.float(),
        ]);
        done++;
      }
    }
    expect(done).toBeGreaterThan(25);
    await expectCurrent();
  }, 300_000);

  describe.each(SEARCH_DOCUMENT_TRIGGERS.map((trigger) => [`${trigger.table}.${trigger.name}`, trigger] as const))('without the trigger %s', (_name, trigger) => {
    /** A write only that trigger answers. */
    const writes: Record<string, string> = {
      'incident.incident_document_insert': `INSERT INTO incident (kind, headline, date_start, date_precision, region_code, confidentiality)
        VALUES ('DETENTION', 'Inserted by hand', date '2019-01-01', 'DAY', 'FR', 'RESTRICTED')`,
      'incident.incident_document_update': `UPDATE incident SET confidentiality = 'RESTRICTED' WHERE id = (SELECT id FROM incident WHERE confidentiality = 'PUBLIC' AND deleted_at IS NULL ORDER BY id LIMIT 1)`,
      'incident.incident_document_delete': `DELETE FROM incident WHERE id = (SELECT id FROM incident i WHERE deleted_at IS NULL AND NOT EXISTS (SELECT 1 FROM citation c WHERE c.incident_id = i.id)
        AND NOT EXISTS (SELECT 1 FROM response_incident r WHERE r.incident_id = i.id) AND NOT EXISTS (SELECT 1 FROM involvement v WHERE v.incident_id = i.id)
        AND NOT EXISTS (SELECT 1 FROM revision v WHERE v.subject_id = i.id) ORDER BY id LIMIT 1)`,
      'citation.incident_document_insert': `INSERT INTO citation (source_id, incident_id, excerpt, confidentiality)
        SELECT s.id, i.id, 'Added by hand', 'PUBLIC' FROM source s, incident i WHERE s.confidentiality = 'PUBLIC' AND s.deleted_at IS NULL
          AND i.confidentiality = 'PUBLIC' AND i.deleted_at IS NULL ORDER BY s.id, i.id LIMIT 1`,
      'citation.incident_document_update': `UPDATE citation SET excerpt = 'Rewritten by hand' WHERE id = (SELECT c.id FROM citation c JOIN incident i ON i.id = c.incident_id
        WHERE c.confidentiality = 'PUBLIC' AND c.deleted_at IS NULL AND i.confidentiality = 'PUBLIC' AND i.deleted_at IS NULL ORDER BY c.id LIMIT 1)`,
      'citation.incident_document_delete': `DELETE FROM citation WHERE id = (SELECT c.id FROM citation c JOIN incident i ON i.id = c.incident_id
        WHERE c.confidentiality = 'PUBLIC' AND c.deleted_at IS NULL AND i.confidentiality = 'PUBLIC' AND i.deleted_at IS NULL ORDER BY c.id LIMIT 1)`,
      'source.incident_document_update': `UPDATE source SET deleted_at = now() WHERE id = (SELECT s.id FROM source s JOIN citation c ON c.source_id = s.id
        WHERE s.deleted_at IS NULL AND c.incident_id IS NOT NULL AND c.deleted_at IS NULL ORDER BY s.id LIMIT 1)`,
    };

    it('the comparison with a rebuild sees the write it missed', async () => {
      const write = writes[`${trigger.table}.${trigger.name}`];
      expect(write).toBeDefined();
      await t.dataSource.query(`ALTER TABLE ${trigger.table} DISABLE TRIGGER ${trigger.name}`);
      try {
        await t.dataSource.query(write);
      } finally {
        await t.dataSource.query(`ALTER TABLE ${trigger.table} ENABLE TRIGGER ${trigger.name}`);
      }
      const { kept, rebuilt } = await keptAndRebuilt();
      expect(kept).not.toEqual(rebuilt);
      // With the trigger on, the same kind of write keeps them current.
      await t.dataSource.query(write);
      await expectCurrent();
    });
  });
});
