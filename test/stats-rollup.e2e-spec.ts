import { Random } from '../src/generate/random';
import { generateData } from '../src/generate/generator';
import { Role, startTestApp, TestApp } from './support/test-app';

/**
 * incidentStats is answered from a rollup kept current by triggers (migration IncidentStatsRollup)
 * when it represents the filter and the grouping. Its numbers must be exactly the live query's, for
 * every viewer, after any write through the API. The live answer is had by adding a filter the
 * rollup does not represent and that keeps every incident (a date bound before all of them).
 */
const STATS = `query($filter: IncidentFilter, $groupBy: [IncidentDimension!]) {
  incidentStats(filter: $filter, groupBy: $groupBy) {
    year month countryCode regionCode kind incidents
    victims { atLeast atMost best unknown } deaths { atLeast atMost best unknown } responses
  }
}`;
const EVERY_DATE = { dateFrom: '1000' };

const KINDS = ['ABDUCTION', 'DETENTION', 'ENFORCED_DISAPPEARANCE', 'KILLING', 'OTHER', 'SEXUAL_VIOLENCE', 'THREAT_OR_HARASSMENT', 'TORTURE_OR_ILL_TREATMENT'];
const LEVELS = ['PUBLIC', 'RESTRICTED', 'CONFIDENTIAL'];
const DATES = ['2019-03-05', '2019-03', '2019', '2019-03/2019-05', '2018-12/2019-01', '2021-07-14', '2003-02'];
const COUNTS = [null, { best: 5 }, { atLeast: 2, atMost: 9 }, { atLeast: 3 }, { atLeast: 1, best: 4, atMost: 12 }];

describe('incidentStats from the rollup', () => {
  let t: TestApp;
  let country: string;
  let subdivisions: string[];

  const stats = async (filter: Record<string, unknown>, groupBy: string[], as: Role) => {
    const { body } = await t.gql(STATS, { filter, groupBy }, as);
    expect(body.errors).toBeUndefined();
    return body.data!.incidentStats as unknown[];
  };

  /** The queries compared: the benchmark's (a country by month), and the other filters and
   * dimensions the rollup serves. */
  const queries = (role: Role) => [
    { filter: { regions: [country] }, groupBy: ['MONTH'] },
    { filter: {}, groupBy: ['YEAR', 'KIND'] },
    { filter: { regions: [subdivisions[0], subdivisions[1]], kinds: ['DETENTION', 'KILLING', 'TORTURE_OR_ILL_TREATMENT'] }, groupBy: ['REGION', 'MONTH'] },
    { filter: {}, groupBy: ['COUNTRY'] },
    { filter: { kinds: ['ABDUCTION'] }, groupBy: [] },
    { filter: { regions: [country] }, groupBy: [] },
    ...(role === Role.EDITOR
      ? [
          { filter: { regions: [country], includeDeleted: true }, groupBy: ['MONTH'] },
          { filter: { includeDeleted: true }, groupBy: ['COUNTRY', 'KIND'] },
          { filter: { includeDeleted: true }, groupBy: [] },
        ]
      : []),
  ];

  /** Every compared query, for every clearance: rollup and live answers side by side. */
  const compare = async () => {
    const answers: { role: Role; query: unknown; rollup: unknown[]; live: unknown[] }[] = [];
    for (const role of [Role.PUBLIC, Role.RESEARCHER, Role.EDITOR]) {
      for (const query of queries(role)) {
        const rollup = await stats(query.filter, query.groupBy, role);
        const live = await stats({ ...query.filter, ...EVERY_DATE }, query.groupBy, role);
        answers.push({ role, query, rollup, live });
      }
    }
    return answers;
  };

  const expectSame = async () => {
    const answers = await compare();
    for (const answer of answers) expect({ ...answer, rollup: answer.rollup }).toEqual({ ...answer, rollup: answer.live });
    // The comparison means something: the answers are not empty.
    expect(answers[0].rollup.length).toBeGreaterThan(5);
  };

  const row = async <T>(sql: string, parameters: unknown[] = []): Promise<T> => ((await t.dataSource.query(sql, parameters)) as T[])[0];
  const all = async <T>(sql: string, parameters: unknown[] = []): Promise<T[]> => t.dataSource.query(sql, parameters);

  beforeAll(async () => {
    t = await startTestApp({ demo: false });
    await generateData(t.dataSource, { incidents: 600, seed: 11 });
    ({ country } = await row<{ country: string }>(
      'SELECT r.country_code AS country FROM incident i JOIN region r ON r.code = i.region_code GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1',
    ));
    subdivisions = (
      await all<{ code: string }>(
        `SELECT i.region_code AS code FROM incident i JOIN region r ON r.code = i.region_code WHERE r.country_code = $1 AND r.code <> $1
         GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 4`,
        [country],
      )
    ).map((r) => r.code);
  }, 120_000);

  afterAll(async () => {
    await t?.close();
  });

  it('gives the live numbers on generated data', async () => {
    await expectSame();
  });

  it('gives the live numbers after random edits, deletions, restores, purges, link and confidentiality changes through the API', async () => {
    const random = new Random(18, 'stats-rollup');
    const done: Record<string, number> = {};
    const send = async (name: string, mutation: string, input: Record<string, unknown>, as = Role.EDITOR) => {
      const { body } = await t.gql(mutation, { input }, as);
      // Some random changes are refused by the data rules (e.g. PUBLIC without a public source): fine.
      if (!body.errors) done[name] = (done[name] ?? 0) + 1;
    };
    const incident = async (where = 'TRUE') =>
      row<{ id: string; version: number }>(`SELECT id, version FROM incident WHERE ${where} ORDER BY md5(id::text || $1) LIMIT 1`, [random.float()]);
    const response = async (where = 'TRUE') =>
      row<{ id: string; version: number }>(`SELECT id, version FROM advocacy_response WHERE ${where} ORDER BY md5(id::text || $1) LIMIT 1`, [random.float()]);
    const regions = [country, ...subdivisions, 'FR', 'BR-SP'];
    const UPDATE = 'mutation($input: UpdateIncidentInput!) { updateIncident(input: $input) { id } }';
    const DELETE = 'mutation($input: RecordVersionInput!) { deleteRecord(input: $input) { id } }';
    const RESTORE = 'mutation($input: RecordVersionInput!) { restoreRecord(input: $input) { id } }';

    for (let step = 0; step < 90; step++) {
      const op = random.pick(['update', 'update', 'update', 'delete', 'restore', 'purge', 'response', 'link', 'unlink', 'create']);
      if (op === 'update') {
        const target = await incident();
        const changes: Record<string, unknown> = {};
        if (random.float() < 0.4) changes.kind = random.pick(KINDS);
        if (random.float() < 0.4) changes.confidentiality = random.pick(LEVELS);
        if (random.float() < 0.4) changes.regionCode = random.pick(regions);
        if (random.float() < 0.4) changes.date = { edtf: random.pick(DATES) };
        if (random.float() < 0.4) changes.victims = random.pick(COUNTS);
        if (random.float() < 0.3) changes.deaths = random.pick(COUNTS);
        if (random.float() < 0.2 || Object.keys(changes).length === 0) changes.headline = `Edited ${step}`;
        await send('updateIncident', UPDATE, { id: target.id, version: target.version, changes });
      } else if (op === 'delete') {
        const target = await incident(random.float() < 0.5 ? 'deleted_at IS NULL AND id IN (SELECT incident_id FROM response_incident)' : 'deleted_at IS NULL');
        await send('delete incident', DELETE, { type: 'INCIDENT', id: target.id, version: target.version });
      } else if (op === 'restore') {
        const target = await incident('deleted_at IS NOT NULL');
        if (target) await send('restore incident', RESTORE, { type: 'INCIDENT', id: target.id, version: target.version });
      } else if (op === 'purge') {
        // Preferably one that responses answer: its links go with it.
        const target =
          (await incident('deleted_at IS NOT NULL AND situation_id IS NULL AND id IN (SELECT incident_id FROM response_incident)')) ??
          (await incident('deleted_at IS NOT NULL AND situation_id IS NULL'));
        if (target) {
          await send('purge incident', 'mutation($input: PurgeRecordInput!) { purgeRecord(input: $input) { removed } }', { type: 'INCIDENT', id: target.id, reason: 'test' }, Role.ADMIN);
        }
      } else if (op === 'response') {
        const target = await response('id IN (SELECT response_id FROM response_incident)');
        const what = random.pick(['level', 'delete', 'restore']);
        if (what === 'level') {
          await send('response level', 'mutation($input: UpdateAdvocacyResponseInput!) { updateAdvocacyResponse(input: $input) { id } }', {
            id: target.id,
            version: target.version,
            changes: { confidentiality: random.pick(LEVELS) },
          });
        } else {
          const deleted = await response(`deleted_at IS ${what === 'delete' ? '' : 'NOT '}NULL AND id IN (SELECT response_id FROM response_incident)`);
          if (deleted) await send(`${what} response`, what === 'delete' ? DELETE : RESTORE, { type: 'ADVOCACY_RESPONSE', id: deleted.id, version: deleted.version });
        }
      } else if (op === 'link') {
        const [target, answered] = [await response('deleted_at IS NULL'), await incident('deleted_at IS NULL')];
        await send('linkResponse', 'mutation($input: ResponseLinksInput!) { linkResponse(input: $input) { id } }', { responseId: target.id, incidentIds: [answered.id] });
      } else if (op === 'unlink') {
        const link = await row<{ id: string; version: number; deleted: boolean }>(
          'SELECT id, version, deleted_at IS NOT NULL AS deleted FROM response_incident ORDER BY md5(id::text || $1) LIMIT 1',
          [random.float()],
        );
        await send(link.deleted ? 'restore link' : 'delete link', link.deleted ? RESTORE : DELETE, { type: 'RESPONSE_INCIDENT', id: link.id, version: link.version });
      } else {
        const answering = await response('deleted_at IS NULL');
        await send('createIncident', 'mutation($input: CreateIncidentInput!) { createIncident(input: $input) { id } }', {
          kind: random.pick(KINDS),
          headline: `Created ${step}`,
          date: { edtf: random.pick(DATES) },
          regionCode: random.pick(regions),
          confidentiality: random.pick(['RESTRICTED', 'CONFIDENTIAL']),
          victims: random.pick(COUNTS) ?? undefined,
          responseIds: [answering.id],
        });
      }
    }
    // Most kinds of write went through (the rest was refused by the data rules).
    expect(Object.keys(done).length).toBeGreaterThanOrEqual(8);
    expect(Object.values(done).reduce((a, b) => a + b, 0)).toBeGreaterThan(40);
    await expectSame();
  }, 300_000);

  it('a rollup that misses a write no longer gives the live numbers (the comparison sees it)', async () => {
    await t.dataSource.query('ALTER TABLE incident DISABLE TRIGGER incident_stats_rollup_update');
    try {
      const target = await row<{ id: string; version: number }>(
        `SELECT i.id, i.version FROM incident i JOIN region r ON r.code = i.region_code
          WHERE r.country_code = $1 AND i.deleted_at IS NULL AND i.confidentiality = 'PUBLIC' ORDER BY i.id LIMIT 1`,
        [country],
      );
      const { body } = await t.gql('mutation($input: RecordVersionInput!) { deleteRecord(input: $input) { id } }', { input: { type: 'INCIDENT', id: target.id, version: target.version } }, Role.EDITOR);
      expect(body.errors).toBeUndefined();
      const answers = await compare();
      expect(answers.filter((a) => JSON.stringify(a.rollup) !== JSON.stringify(a.live)).length).toBeGreaterThan(0);
    } finally {
      await t.dataSource.query('ALTER TABLE incident ENABLE TRIGGER incident_stats_rollup_update');
      await t.dataSource.query('SELECT incident_stats_rebuild()');
    }
    await expectSame();
  });
});
