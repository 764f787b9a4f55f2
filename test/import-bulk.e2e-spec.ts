import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DataSource } from 'typeorm';
import { Role } from '../src/access/role';
import { Viewer } from '../src/access/viewer';
import { leastClearanceSql } from '../src/access/record-visibility';
import { highestSensitivity } from '../src/access/sensitive.decorator';
import { rank } from '../src/access/access-level';
import { createDataSource } from '../src/database/data-source';
import { diff, stateOf } from '../src/editing/editing.service';
import { recordTypeOf } from '../src/editing/record-type';
import { Incident } from '../src/incidents/incident.entity';
import { ImportRefusedError, importCsvFiles, whereOf } from '../src/imports/importer';
import { RegionsService } from '../src/regions/regions.service';
import { Citation } from '../src/sources/citation.entity';
import { Source } from '../src/sources/source.entity';
import { createTestDatabase, TestDatabase } from './support/test-database';

/* What the import's set-based path (src/imports/bulk-creations.ts: new records staged by COPY and
 * written by INSERT ... SELECT, chunk by chunk) must keep from the one-record-at-a-time writes of
 * the editing service: a revision and an audit entry per record with the same content, the levels
 * new records are created at, all or nothing across chunks, updates beside creations. Files of
 * several chunks (1,000 rows each). */

const OPERATOR = new Viewer(Role.ADMIN, null, 'command line (bulk import test)');
const TABLES = ['source', 'incident', 'citation', 'revision', 'audit_event'];

const id = (kind: number, n: number) => `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;
const csv = (header: string[], rows: (string | number | null)[][]) =>
  [header.join(','), ...rows.map((r) => r.map((c) => (c === null ? '' : /[",\n]/.test(String(c)) ? `"${String(c).replace(/"/g, '""')}"` : String(c))).join(','))].join('\n') + '\n';

const SOURCE_HEADER = ['id', 'kind', 'publisher', 'title', 'published_start', 'published_precision', 'reliability', 'confidentiality', 'deleted_at'];
const INCIDENT_HEADER = [
  'id', 'kind', 'headline', 'description', 'date_start', 'date_end', 'date_precision', 'date_approximate', 'region_code', 'latitude', 'longitude',
  'location_precision', 'victims_best', 'victims_basis', 'internal_notes', 'confidentiality', 'created_at', 'updated_at', 'deleted_at',
];
const CITATION_HEADER = ['id', 'source_id', 'incident_id', 'claim', 'excerpt', 'confidentiality'];

/** `count` incidents: every third PUBLIC (cited below), some with empty cells that take the table's
 * defaults, coordinates, times from the file, deleted ones. */
function incidentRows(count: number, from = 0): (string | number | null)[][] {
  return Array.from({ length: count }, (_, k) => {
    const n = from + k;
    return [
      id(2, n),
      ['DETENTION', 'ABDUCTION', 'KILLING'][n % 3],
      `Incident ${n}, "quoted"`,
      n % 4 === 0 ? null : `Described\nover two lines ${n}`,
      n % 5 === 0 ? '2017-04-01' : '2019-03-02',
      n % 7 === 0 && n % 5 !== 0 ? '2019-03-05' : null,
      n % 5 === 0 ? 'MONTH' : 'DAY',
      n % 6 === 0 ? 'true' : null,
      ['RU-CE', 'ge', 'UA'][n % 3],
      n % 8 === 0 ? 43.317123 : null,
      n % 8 === 0 ? 45.694321 : null,
      n % 8 === 0 ? 'EXACT' : null,
      n % 2 ? n % 20 : null,
      n % 2 ? 'DOCUMENTED' : null,
      n % 9 === 0 ? `Notes ${n}` : null,
      n % 3 === 0 ? 'PUBLIC' : n % 3 === 1 ? 'RESTRICTED' : null,
      n % 10 === 0 ? '2020-01-02T03:04:05.678Z' : null,
      n % 10 === 0 ? '2020-02-03T04:05:06.789Z' : null,
      n % 50 === 1 ? '2021-05-06T07:08:09.123Z' : null,
    ];
  });
}

describe('npm run vigil -- import: the set-based path', () => {
  let target: TestDatabase;
  let db: DataSource;
  let dir: string;

  const write = async (name: string, text: string) => {
    const path = join(dir, name);
    await writeFile(path, text);
    return path;
  };
  const importing = (paths: string[]) => importCsvFiles(db, paths, { viewer: OPERATOR });
  const refusal = async (paths: string[]): Promise<string[]> => {
    const error = await importing(paths).then(
      () => null,
      (e: unknown) => e,
    );
    if (!(error instanceof ImportRefusedError)) throw new Error(`expected the import to be refused, got ${String(error)}`);
    return error.listed.map((p) => `${whereOf(p)}: ${p.message}`.split(`${dir}/`).join(''));
  };
  const counts = async () => {
    const out: Record<string, number> = {};
    for (const table of TABLES) out[table] = (await db.query(`SELECT count(*)::int AS n FROM ${table}${table === 'audit_event' ? ` WHERE operation = 'cli import'` : ''}`))[0].n;
    return out;
  };

  beforeAll(async () => {
    target = await createTestDatabase({ demoData: false });
    db = createDataSource(target.url);
    await db.initialize();
    dir = await mkdtemp(join(tmpdir(), 'vigil-import-bulk-'));
  });

  afterAll(async () => {
    await db?.destroy();
    await target?.drop();
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('writes nothing when a row deep in a large file is bad, or refused by the database, and names each', async () => {
    const before = await counts();
    // RESTRICTED: none needs a source.
    const rows = incidentRows(4100).map((r) => r.map((cell, k) => (INCIDENT_HEADER[k] === 'confidentiality' ? 'RESTRICTED' : cell)));
    // Past the first two chunks, which were written (inside the transaction) before these were read.
    rows[4048][2] = null; // headline
    const [{ code }] = await db.query(
      `SELECT code FROM region r WHERE code LIKE 'AQ%' AND NOT EXISTS (SELECT 1 FROM region c WHERE c.parent_code = r.code) ORDER BY code LIMIT 1`,
    );
    await db.query(`DELETE FROM region WHERE code = $1`, [code]);
    try {
      rows[4088][8] = code; // a region only the database's foreign key misses
      const path = await write('deep.csv', csv(INCIDENT_HEADER, rows));
      // Lines of the file: descriptions span two.
      const lineOf = (index: number) => 2 + rows.slice(0, index).reduce((n, r) => n + 1 + (String(r[3] ?? '').match(/\n/g)?.length ?? 0), 0);
      expect(await refusal([path])).toEqual([`deep.csv:${lineOf(4048)} headline: is required`, `deep.csv:${lineOf(4088)}: refers to a record that does not exist`]);
    } finally {
      await RegionsService.sync(db);
    }
    expect(await counts()).toEqual(before);
  }, 600_000);

  it('names a refused row in a chunk written while the next is checked, and the next chunk\'s problems once', async () => {
    const before = await counts();
    const rows = incidentRows(3100, 10_000).map((r) => r.map((cell, k) => (INCIDENT_HEADER[k] === 'confidentiality' ? 'RESTRICTED' : cell)));
    const [{ code }] = await db.query(
      `SELECT code FROM region r WHERE code LIKE 'AQ%' AND NOT EXISTS (SELECT 1 FROM region c WHERE c.parent_code = r.code) ORDER BY code LIMIT 1`,
    );
    await db.query(`DELETE FROM region WHERE code = $1`, [code]);
    try {
      // The second chunk is refused by the database while the third, with a bad row, is checked.
      rows[1500][8] = code;
      rows[2050][2] = null; // headline
      const path = await write('overlap.csv', csv(INCIDENT_HEADER, rows));
      const lineOf = (index: number) => 2 + rows.slice(0, index).reduce((n, r) => n + 1 + (String(r[3] ?? '').match(/\n/g)?.length ?? 0), 0);
      expect(await refusal([path])).toEqual([`overlap.csv:${lineOf(1500)}: refers to a record that does not exist`, `overlap.csv:${lineOf(2050)} headline: is required`]);
    } finally {
      await RegionsService.sync(db);
    }
    expect(await counts()).toEqual(before);
  }, 600_000);

  it('gives every new record a revision and an audit entry holding what the editing service would write', async () => {
    const incidents = 2100;
    const sources = [
      ...Array.from({ length: 40 }, (_, n) => [id(1, n), 'NEWS_REPORT', `Publisher ${n}`, `Report ${n}`, '2019-03-04', 'DAY', null, null, null]),
      // Unpublished by nature: created RESTRICTED when the file leaves the level out (creation-level.ts).
      [id(1, 100), 'TESTIMONY', 'A witness', 'Statement', '2019-03', 'MONTH', 'RELIABLE', null, null],
      [id(1, 101), 'NEWS_REPORT', 'Gone', 'Retracted', '2019', 'YEAR', null, 'PUBLIC', '2020-01-01T00:00:00.000Z'],
    ];
    // Each PUBLIC incident cites a PUBLIC source (the publication rule); the others cite the testimony.
    const citations = incidentRows(incidents).map((r, n) => [id(3, n), r[15] === 'PUBLIC' || r[15] === null ? id(1, n % 40) : id(1, 100), r[0], `claim ${n}`, n % 2 ? '' : null, null]);
    const summary = await importing([
      await write('sources.csv', csv(SOURCE_HEADER, sources)),
      await write('incidents.csv', csv(INCIDENT_HEADER, incidentRows(incidents))),
      await write('citations.csv', csv(CITATION_HEADER, citations)),
    ]);
    expect(summary.files.map((f) => [f.kind, f.created])).toEqual([
      ['sources', sources.length],
      ['incidents', incidents],
      ['citations', incidents],
    ]);

    for (const entity of [Source, Incident, Citation]) {
      const metadata = db.getMetadata(entity);
      const records = await db.getRepository(entity).find({ withDeleted: true });
      const revisions = await db.query(
        `SELECT subject_id, version, action::text, actor, reason, account_id, seen_before::text, seen_after::text, changed_fields, changes, state FROM revision WHERE subject_type = $1`,
        [recordTypeOf(entity)],
      );
      const audit = await db.query(`SELECT subject_id, action::text, actor, role::text, fields, level::text, changes, reason FROM audit_event WHERE subject_type = $1 AND operation = 'cli import'`, [
        metadata.name,
      ]);
      const seen = new Map<string, string>(
        (await db.query(`SELECT t.id, (${leastClearanceSql(metadata.name, 't')})::text AS level FROM ${metadata.tableName} t`)).map((r: { id: string; level: string }) => [r.id, r.level]),
      );
      const revisionOf = new Map(revisions.map((r: { subject_id: string }) => [r.subject_id, r]));
      const auditOf = new Map(audit.map((a: { subject_id: string }) => [a.subject_id, a]));
      expect([revisions.length, audit.length]).toEqual([records.length, records.length]);
      for (const record of records) {
        // As EditingService.create computes them, from the record as stored.
        const state = JSON.parse(JSON.stringify(stateOf(metadata, record)));
        const changes = diff({}, state);
        const properties = [...new Set(Object.keys(changes).map((p) => p.split('.')[0]))];
        const fieldLevel = highestSensitivity(entity, properties);
        expect({ id: record.id, revision: revisionOf.get(record.id) }).toEqual({
          id: record.id,
          revision: {
            subject_id: record.id,
            version: 1,
            action: 'CREATE',
            actor: 'command line (bulk import test)',
            reason: `import of ${metadata.name === 'Source' ? 'sources' : metadata.name === 'Incident' ? 'incidents' : 'citations'}.csv`,
            account_id: null,
            seen_before: null,
            seen_after: seen.get(record.id),
            changed_fields: Object.keys(changes),
            changes,
            state,
          },
        });
        expect({ id: record.id, audit: auditOf.get(record.id) }).toEqual({
          id: record.id,
          audit: {
            subject_id: record.id,
            action: 'CREATE',
            actor: 'command line (bulk import test)',
            role: 'ADMIN',
            fields: properties.map((p) => `${metadata.name}.${p}`),
            level: rank(record.confidentiality) > rank(fieldLevel) ? record.confidentiality : fieldLevel,
            changes: null,
            reason: (revisionOf.get(record.id) as { reason: string }).reason,
          },
        });
        // The change stamps start at the record's own (the table's trigger).
        const stamps = record as unknown as Record<string, unknown>;
        expect([stamps.publicVersion, stamps.restrictedVersion, (stamps.publicUpdatedAt as Date).getTime()]).toEqual([1, 1, record.updatedAt.getTime()]);
      }
    }

    // Levels: the file's, else the type's floor (a testimony), else the table's default; defaults
    // and the file's times kept.
    const levels = await db.query(`SELECT id, confidentiality::text AS level FROM source WHERE id = ANY($1::uuid[]) ORDER BY id`, [[id(1, 0), id(1, 100), id(1, 101)]]);
    expect(levels).toEqual([
      { id: id(1, 0), level: 'PUBLIC' },
      { id: id(1, 100), level: 'RESTRICTED' },
      { id: id(1, 101), level: 'PUBLIC' },
    ]);
    const [first] = await db.query(`SELECT confidentiality::text, location_precision::text, verification_status::text, date_approximate, created_at, updated_at FROM incident WHERE id = $1`, [id(2, 20)]);
    expect(first).toEqual({
      confidentiality: 'PUBLIC',
      location_precision: 'REGION',
      verification_status: 'REPORTED',
      date_approximate: false,
      created_at: new Date('2020-01-02T03:04:05.678Z'),
      updated_at: new Date('2020-02-03T04:05:06.789Z'),
    });
  }, 600_000);

  it('updates existing records and creates new ones from one file, across chunks', async () => {
    const [{ updated_at }] = await db.query(`SELECT updated_at FROM incident WHERE id = $1`, [id(2, 2050)]);
    const rows = [...incidentRows(2100), ...incidentRows(10, 9000)];
    // A changed headline, in the second chunk (with the new records), from a file as new as the stored record.
    rows[2050] = rows[2050].map((cell, k) => (INCIDENT_HEADER[k] === 'headline' ? 'Changed in the file' : INCIDENT_HEADER[k] === 'updated_at' ? updated_at.toISOString() : cell));
    const citations = incidentRows(10, 9000).map((r, n) => [id(3, 9000 + n), id(1, 0), r[0], 'claim', null, null]);
    const summary = await importing([await write('mixed.csv', csv(INCIDENT_HEADER, rows)), await write('mixed-citations.csv', csv(CITATION_HEADER, citations))]);
    expect(summary.files.map((f) => [f.created, f.updated, f.unchanged])).toEqual([
      [10, 1, 2099],
      [10, 0, 0],
    ]);
    const history = await db.query(`SELECT version, action::text, changed_fields FROM revision WHERE subject_id = $1 ORDER BY version`, [id(2, 2050)]);
    expect(history).toEqual([
      { version: 1, action: 'CREATE', changed_fields: expect.any(Array) },
      { version: 2, action: 'UPDATE', changed_fields: ['headline'] },
    ]);
    const created = await db.query(`SELECT count(*)::int AS n FROM revision WHERE subject_id = ANY($1::uuid[]) AND action = 'CREATE'`, [incidentRows(10, 9000).map((r) => r[0])]);
    expect(created).toEqual([{ n: 10 }]);
  }, 600_000);

  it('leaves the stats rollup exactly as a rebuild from the tables makes it (its triggers fire for set-based writes too)', async () => {
    const snapshot = async () => ({
      rollup: await db.query(`SELECT * FROM incident_stats_rollup WHERE incidents <> 0 ORDER BY region_code, year, month, kind, confidentiality, deleted`),
      answers: await db.query(`SELECT * FROM incident_response_stats ORDER BY 1, 2`),
    });
    const kept = await snapshot();
    expect(kept.rollup.reduce((n: number, r: { incidents: number }) => n + r.incidents, 0)).toBe((await db.query('SELECT count(*)::int AS n FROM incident'))[0].n);
    await db.query('SELECT incident_stats_rebuild()');
    expect(await snapshot()).toEqual(kept);
  });
});
