import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { DataSource } from 'typeorm';
import { createDataSource } from '../src/database/data-source';
import { DatabaseNotEmptyError, generateData, Summary } from '../src/generate/generator';
import { IdSpace } from '../src/generate/random';
import { planFor } from '../src/generate/synthetic-vigil';
import { createTestDatabase, TestDatabase } from './support/test-database';

/** The command line as `npm run vigil` runs it (npm test builds dist/ first). */
const CLI = join(__dirname, '..', 'dist', 'src', 'cli', 'vigil.js');

const INCIDENTS = 2000;
const SEED = 7;

/** `npm run vigil -- generate`: synthetic data that follows the database's rules, sized from the
 * number of incidents, the same for the same seed, and only ever loaded into an empty database. */
describe('generate', () => {
  const databases: TestDatabase[] = [];
  const dataSources: DataSource[] = [];
  const summaries: Summary[] = [];
  let db: DataSource;

  const one = async <T>(sql: string, source = db): Promise<T> => ((await source.query(sql)) as T[])[0];

  beforeAll(async () => {
    for (let i = 0; i < 2; i++) {
      const database = await createTestDatabase({ demoData: false });
      databases.push(database);
      const dataSource = createDataSource(database.url);
      await dataSource.initialize();
      dataSources.push(dataSource);
      summaries.push(await generateData(dataSource, { incidents: INCIDENTS, seed: SEED }));
    }
    db = dataSources[0];
  });

  afterAll(async () => {
    for (const dataSource of dataSources) await dataSource.destroy();
    for (const database of databases) await database.drop();
  });

  it('sizes every table from the number of incidents', async () => {
    const plan = planFor(INCIDENTS);
    const counts = await one<Record<string, number>>(
      `SELECT ${['incident', 'situation', 'source', 'citation', 'person', 'involvement', 'organization', 'advocacy_response', 'response_incident', 'response_situation', 'response_organizer']
        .map((t) => `(SELECT count(*)::int FROM ${t}) AS ${t}`)
        .join(', ')}`,
    );
    expect(counts).toEqual(summaries[0].rows);
    expect(counts).toMatchObject({
      incident: INCIDENTS,
      situation: plan.situations,
      source: plan.sources,
      person: plan.people,
      organization: plan.organizations,
      advocacy_response: plan.responses,
    });
    expect(plan).toMatchObject({ situations: INCIDENTS / 200, sources: Math.round(INCIDENTS / 3), people: INCIDENTS / 4, responses: INCIDENTS / 10 });
    expect(counts.citation).toBeGreaterThan(INCIDENTS * 1.5);
    expect(counts.citation).toBeLessThan(INCIDENTS * 3);
    expect(counts.involvement).toBeGreaterThanOrEqual(plan.people);
    expect(counts.response_incident).toBeGreaterThan(plan.responses);
    expect(counts.response_situation).toBeGreaterThan(0);
    expect(counts.response_organizer).toBeGreaterThanOrEqual(plan.responses);
    expect(summaries[0].totalRows).toBe(Object.values(counts).reduce((a, b) => a + b, 0));
  });

  it('writes dates of every precision and shape, each following its precision', async () => {
    const dates = await one<Record<string, number>>(`
      SELECT count(*) FILTER (WHERE date_precision = 'DAY')::int AS day,
             count(*) FILTER (WHERE date_precision = 'MONTH')::int AS month,
             count(*) FILTER (WHERE date_precision = 'YEAR')::int AS year,
             count(*) FILTER (WHERE date_end IS NOT NULL)::int AS intervals,
             count(*) FILTER (WHERE date_end IS NOT NULL AND date_precision = 'MONTH')::int AS month_intervals,
             count(*) FILTER (WHERE date_end IS NOT NULL AND date_precision = 'YEAR')::int AS year_intervals,
             count(*) FILTER (WHERE date_open_end)::int AS open,
             count(*) FILTER (WHERE date_approximate)::int AS approximate,
             count(*) FILTER (WHERE date_uncertain)::int AS uncertain,
             count(*) FILTER (WHERE date_approximate AND date_uncertain)::int AS both,
             count(date_as_reported)::int AS as_reported,
             count(*) FILTER (WHERE
               (date_precision = 'MONTH' AND (extract(day FROM date_start) <> 1 OR extract(day FROM coalesce(date_end, date_start)) <> 1))
               OR (date_precision = 'YEAR' AND (to_char(date_start, 'MM-DD') <> '01-01' OR to_char(coalesce(date_end, date_start), 'MM-DD') <> '01-01'))
               OR date_end <= date_start OR (date_open_end AND date_end IS NOT NULL)
               OR (date_open_end AND date_latest <> 'infinity') OR date_latest < date_start)::int AS broken,
             min(date_start)::text AS first, max(date_start)::text AS last
      FROM incident`);
    for (const shape of ['day', 'month', 'year', 'month_intervals', 'year_intervals', 'open', 'approximate', 'uncertain', 'both', 'as_reported']) {
      expect({ shape, count: dates[shape] }).toEqual({ shape, count: expect.any(Number) });
      expect(dates[shape]).toBeGreaterThan(0);
    }
    expect(dates.day).toBeGreaterThan(dates.month);
    expect(dates.month).toBeGreaterThan(dates.year);
    expect(dates.broken).toBe(0);
    expect(String(dates.first) >= '2000-01-01').toBe(true);
    expect(String(dates.last) <= '2026-12-31').toBe(true);
    for (const table of ['situation', 'advocacy_response']) {
      expect(await one(`SELECT count(DISTINCT date_precision)::int AS n FROM ${table}`)).toEqual({ n: 3 });
    }
    expect(await one(`SELECT count(DISTINCT published_precision)::int AS n FROM source`)).toEqual({ n: 3 });
  });

  it('writes counts that are unknown, documented or estimated, with ranges', async () => {
    const counts = await one<Record<string, number>>(`
      SELECT count(*) FILTER (WHERE num_nonnulls(victims_at_least, victims_best, victims_at_most, victims_basis, victims_as_reported) = 0)::int AS unknown,
             count(*) FILTER (WHERE victims_basis = 'DOCUMENTED')::int AS documented,
             count(*) FILTER (WHERE victims_basis = 'ESTIMATED')::int AS estimated,
             count(*) FILTER (WHERE victims_at_least < victims_at_most)::int AS ranges,
             count(*) FILTER (WHERE victims_at_least IS NOT NULL AND victims_best IS NULL AND victims_at_most IS NULL)::int AS floors,
             count(*) FILTER (WHERE deaths_basis IS NOT NULL)::int AS deaths
      FROM incident`);
    for (const value of Object.values(counts)) expect(value).toBeGreaterThan(0);
    expect(await one(`SELECT count(*) FILTER (WHERE signatures_basis IS NOT NULL)::int AS signatures, count(*) FILTER (WHERE participants_basis IS NOT NULL)::int AS participants FROM advocacy_response`)).toEqual({
      signatures: expect.any(Number),
      participants: expect.any(Number),
    });
  });

  it('spreads incidents over many countries and subdivisions, some with coordinates and some in situations', async () => {
    const spread = await one<Record<string, number>>(`
      SELECT count(DISTINCT r.country_code)::int AS countries,
             count(DISTINCT i.region_code) FILTER (WHERE r.kind = 'SUBDIVISION')::int AS subdivisions,
             count(i.latitude)::int AS located, count(i.situation_id)::int AS in_situations,
             count(DISTINCT i.kind)::int AS kinds, count(DISTINCT i.verification_status)::int AS statuses
      FROM incident i JOIN region r ON r.code = i.region_code`);
    expect(spread.countries).toBeGreaterThan(50);
    expect(spread.subdivisions).toBeGreaterThan(200);
    expect(spread.located / INCIDENTS).toBeGreaterThan(0.1);
    expect(spread.in_situations / INCIDENTS).toBeGreaterThan(0.2);
    expect(spread).toMatchObject({ kinds: 8, statuses: 5 });
  });

  it('cites every incident 1 to 5 times, each citation about exactly one subject', async () => {
    expect(
      await one(`SELECT min(n)::int AS min, max(n)::int AS max FROM (SELECT count(c.id) AS n FROM incident i LEFT JOIN citation c ON c.incident_id = i.id GROUP BY i.id) x`),
    ).toEqual({ min: 1, max: 5 });
    expect(
      await one(`SELECT count(*) FILTER (WHERE num_nonnulls(incident_id, situation_id, response_id) <> 1)::int AS bad,
                        count(situation_id)::int > 0 AS situations, count(response_id)::int > 0 AS responses,
                        min(length(excerpt))::int > 20 AS excerpts FROM citation`),
    ).toEqual({ bad: 0, situations: true, responses: true, excerpts: true });
    // The excerpts give full-text search words to find.
    expect(await one(`SELECT count(*)::int > 0 AS found FROM citation WHERE to_tsvector('english', excerpt) @@ plainto_tsquery('english', 'detained')`)).toEqual({ found: true });
  });

  it('marks about 10-20% of records restricted or confidential, and under 1% deleted', async () => {
    const levels = await one<Record<string, number>>(`
      SELECT avg((confidentiality = 'PUBLIC')::int)::float AS public, avg((confidentiality = 'RESTRICTED')::int)::float AS restricted,
             avg((confidentiality = 'CONFIDENTIAL')::int)::float AS confidential, avg((deleted_at IS NOT NULL)::int)::float AS deleted
      FROM incident`);
    // About 10% by the generator's weights, and the few records citing no public source kept
    // RESTRICTED (the publication rule).
    expect(levels.public).toBeGreaterThan(0.78);
    expect(levels.public).toBeLessThan(0.94);
    expect(levels.restricted).toBeGreaterThan(0.04);
    expect(levels.confidential).toBeGreaterThan(0.01);
    expect(levels.deleted).toBeGreaterThan(0);
    expect(levels.deleted).toBeLessThan(0.01);
    expect(await one(`SELECT count(*) FILTER (WHERE updated_at < created_at OR deleted_at < updated_at)::int AS n FROM incident`)).toEqual({ n: 0 });
  });

  it('keeps the schema it found: indexes and foreign keys rebuilt under their own names', async () => {
    const schema = `SELECT string_agg(d, E'\\n' ORDER BY d) AS s FROM (
        SELECT pg_get_indexdef(indexrelid) AS d FROM pg_index WHERE indrelid::regclass::text IN ('incident', 'citation', 'source', 'involvement')
        UNION ALL SELECT conname || ' ' || pg_get_constraintdef(oid) FROM pg_constraint WHERE conrelid::regclass::text IN ('incident', 'citation', 'source', 'involvement')) x`;
    const fresh = await createTestDatabase({ demoData: false });
    const untouched = createDataSource(fresh.url);
    await untouched.initialize();
    try {
      expect(await one(schema)).toEqual(await one(schema, untouched));
    } finally {
      await untouched.destroy();
      await fresh.drop();
    }
  });

  it('gives the same rows, ids included, for the same seed', async () => {
    for (const table of ['incident', 'citation', 'source', 'involvement', 'advocacy_response', 'response_organizer']) {
      const digest = `SELECT md5(string_agg(t::text, E'\\n' ORDER BY t.id)) AS digest FROM ${table} t`;
      const [a, b] = await Promise.all(dataSources.map((d) => one<{ digest: string }>(digest, d)));
      expect({ table, digest: a.digest }).toEqual({ table, digest: b.digest });
    }
    // Ids are a function of the seed and the row number, so children name parents without reading them.
    const ids = new IdSpace(SEED, 'incident');
    const stored = ((await db.query(`SELECT id FROM incident`)) as { id: string }[]).map((r) => r.id).sort();
    expect(stored).toEqual(Array.from({ length: INCIDENTS }, (_, i) => ids.id(i)).sort());
    expect(new IdSpace(SEED + 1, 'incident').id(0)).not.toBe(ids.id(0));
  });

  it('loads all or nothing: a failure leaves no row and the indexes as they were', async () => {
    const fresh = await createTestDatabase({ demoData: false });
    const target = createDataSource(fresh.url);
    await target.initialize();
    try {
      const indexes = `SELECT count(*)::int AS n FROM pg_indexes WHERE tablename IN ('incident', 'citation')`;
      const before = await one(indexes, target);
      // The last table loaded refuses every row.
      await target.query(`ALTER TABLE citation ADD CONSTRAINT refuse_all CHECK (false) NOT VALID`);
      await expect(generateData(target, { incidents: 200, seed: 1 })).rejects.toThrow(/refuse_all/);
      expect(await one(`SELECT (SELECT count(*) FROM incident)::int AS incidents, (SELECT count(*) FROM source)::int AS sources`, target)).toEqual({ incidents: 0, sources: 0 });
      expect(await one(indexes, target)).toEqual(before);
    } finally {
      await target.destroy();
      await fresh.drop();
    }
  });

  it('refuses a database that already holds incidents, and changes nothing', async () => {
    await expect(generateData(db, { incidents: 10, seed: 1 })).rejects.toBeInstanceOf(DatabaseNotEmptyError);
    const env = { ...process.env, DATABASE_URL: databases[0].url, CI: 'true' };
    const result = await promisify(execFile)(process.execPath, [CLI, 'generate', '--incidents', '10'], { env }).then(
      () => ({ code: 0, stderr: '' }),
      (e: { code: number; stderr: string }) => ({ code: e.code, stderr: e.stderr }),
    );
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/error: database: already holds 2000 incidents/);
    expect(await one(`SELECT count(*)::int AS n FROM incident`)).toEqual({ n: INCIDENTS });
  });
});
