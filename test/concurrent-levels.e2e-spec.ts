import { QueryRunner } from 'typeorm';
import { generateData } from '../src/generate/generator';
import { DEFER_SEARCH_DOCUMENTS_SQL, REBUILD_SEARCH_DOCUMENTS_SQL, REFRESH_DEFERRED_SEARCH_DOCUMENTS_SQL, SEARCH_DOCUMENT_TABLES } from '../src/incidents/search-document';
import { REBUILD_STATS_ROLLUP_SQL } from '../src/incidents/stats-rollup';
import { Role, startTestApp, TestApp } from './support/test-app';

/**
 * A record's level raised while another transaction links to it (migration LevelChangesAfterTheLock):
 * the derived rows each clearance reads (search documents, response stats) must follow, whichever of
 * the two commits first. Two connections interleave their statements in a fixed order; where the
 * second must wait for the first's lock, the test waits until PostgreSQL shows it waiting (or done:
 * the code before this migration did not wait, and left the derived rows stale).
 */

const SEARCH = `query($search: String) { incidents(filter: { search: $search }, first: 50) { totalCount edges { node { id } } } }`;
const STATS = `query($filter: IncidentFilter, $groupBy: [IncidentDimension!]) {
  incidentStats(filter: $filter, groupBy: $groupBy) { year month regionCode incidents responses }
}`;

describe('a level raised while another transaction links to the record', () => {
  let t: TestApp;
  const all = async <T>(sql: string, parameters: unknown[] = []): Promise<T[]> => t.dataSource.query(sql, parameters);
  let serial = 0;
  /** A word no generated text holds. */
  const word = () => `zelquor${String.fromCharCode(97 + (serial++ % 26))}${'vwxyz'[serial % 5]}ent`;

  beforeAll(async () => {
    t = await startTestApp({ demo: false });
    await generateData(t.dataSource, { incidents: 120, seed: 7 });
  }, 120_000);
  afterAll(async () => {
    await t?.close();
  });
  // A failure leaves stale rows behind: rebuilt, so that it does not spill into the next test.
  afterEach(async () => {
    await all(REBUILD_SEARCH_DOCUMENTS_SQL);
    await all(REBUILD_STATS_ROLLUP_SQL);
  });

  /** Two connections, each in a transaction; rolled back and released whatever happens. */
  const twoTransactions = async (work: (a: QueryRunner, b: QueryRunner) => Promise<void>) => {
    const a = t.dataSource.createQueryRunner();
    const b = t.dataSource.createQueryRunner();
    try {
      await a.startTransaction();
      await b.startTransaction();
      await work(a, b);
    } finally {
      for (const r of [a, b]) {
        if (r.isTransactionActive) await r.rollbackTransaction().catch(() => undefined);
        await r.release();
      }
    }
  };
  /** Starts `sql` on `runner`, and resolves once it is done or waits for a lock; the statement's
   * own promise is returned to await later. */
  const startWaiting = async (runner: QueryRunner, sql: string, parameters: unknown[] = []) => {
    const [{ pid }] = await runner.query('SELECT pg_backend_pid() AS pid');
    let settled = false;
    const statement = runner.query(sql, parameters).finally(() => (settled = true));
    statement.catch(() => undefined);
    for (let waited = 0; !settled && waited < 10_000; waited += 20) {
      const [activity] = await all<{ wait: string | null }>('SELECT wait_event_type AS wait FROM pg_stat_activity WHERE pid = $1', [pid]);
      if (activity?.wait === 'Lock') return { statement, waited: true };
      await new Promise((r) => setTimeout(r, 20));
    }
    return { statement, waited: false };
  };

  const newSource = async (q: QueryRunner | null = null) => {
    const sql = `INSERT INTO source (kind, publisher, title, url, published_start, published_precision, confidentiality)
      SELECT kind, publisher, title || ' (copy)', url, published_start, published_precision, 'PUBLIC' FROM source
       WHERE confidentiality = 'PUBLIC' AND deleted_at IS NULL ORDER BY id LIMIT 1 RETURNING id`;
    const [{ id }] = q ? await q.query(sql) : await all<{ id: string }>(sql);
    return id as string;
  };
  /** A PUBLIC incident whose only text with `word` is its PUBLIC citation of `source`. */
  const citedIncident = async (q: QueryRunner, source: string, word: string) => {
    const [{ id }] = await q.query(
      `INSERT INTO incident (kind, headline, date_start, date_precision, region_code, confidentiality)
       VALUES ('DETENTION', 'Held without charge', date '2019-04-02', 'DAY', 'FR', 'PUBLIC') RETURNING id`,
    );
    await q.query(`INSERT INTO citation (source_id, incident_id, excerpt, confidentiality) VALUES ($1, $2, $3, 'PUBLIC')`, [source, id, `Quoted ${word}`]);
    return id as string;
  };
  const found = async (search: string, as: Role) => {
    const { body } = await t.gql<any>(SEARCH, { search }, as);
    expect(body.errors).toBeUndefined();
    return body.data.incidents.edges.map((e: any) => e.node.id) as string[];
  };
  const documents = async () => {
    const out: string[] = [];
    for (const table of SEARCH_DOCUMENT_TABLES) {
      out.push(...(await all<{ r: string }>(`SELECT concat_ws(' | ', '${table}', incident_id, document::text) AS r FROM ${table} ORDER BY incident_id`)).map((r) => r.r));
    }
    return out;
  };
  /** The documents as the triggers left them equal a rebuild from the tables. */
  const expectDocumentsCurrent = async () => {
    const kept = await documents();
    await all(REBUILD_SEARCH_DOCUMENTS_SQL);
    expect(kept).toEqual(await documents());
  };
  /** The source's citation text is found by the editor alone, once the source is CONFIDENTIAL. */
  const expectFoundByEditorOnly = async (text: string, incident: string) => {
    expect(await found(text, Role.PUBLIC)).toEqual([]);
    expect(await found(text, Role.RESEARCHER)).toEqual([]);
    expect(await found(text, Role.EDITOR)).toEqual([incident]);
    await expectDocumentsCurrent();
  };
  const raise = (table: string) => `UPDATE ${table} SET confidentiality = 'CONFIDENTIAL' WHERE id = $1`;

  /** B raises `id` of `table` while A holds the refresh's lock: B waits for A's commit, then sees
   * what A wrote. */
  const raiseWhileLocked = async (a: QueryRunner, b: QueryRunner, table: string, id: string) => {
    const { statement, waited } = await startWaiting(b, raise(table), [id]);
    expect(waited).toBe(true);
    await a.commitTransaction();
    await statement;
    await b.commitTransaction();
  };

  it.each([
    ['a plain write cites it (the write took the lock first)', false],
    ['the import cites it under deferral, after its refresh', true],
  ])('a source raised while %s', async (_, deferred) => {
    const source = await newSource();
    const text = word();
    let incident = '';
    await twoTransactions(async (a, b) => {
      if (deferred) await a.query(DEFER_SEARCH_DOCUMENTS_SQL);
      incident = await citedIncident(a, source, text);
      if (deferred) await a.query(REFRESH_DEFERRED_SEARCH_DOCUMENTS_SQL);
      await raiseWhileLocked(a, b, 'source', source);
    });
    await expectFoundByEditorOnly(text, incident);
  });

  it('a source raised and committed while the import cites it under deferral, before its refresh', async () => {
    const source = await newSource();
    const text = word();
    let incident = '';
    await twoTransactions(async (a, b) => {
      await a.query(DEFER_SEARCH_DOCUMENTS_SQL);
      incident = await citedIncident(a, source, text);
      await b.query(raise('source'), [source]);
      await b.commitTransaction();
      await a.commitTransaction();
    });
    await expectFoundByEditorOnly(text, incident);
  });

  it('a source raised by the import under deferral while another write cites it and commits first', async () => {
    const source = await newSource();
    const text = word();
    let incident = '';
    await twoTransactions(async (a, b) => {
      await a.query(DEFER_SEARCH_DOCUMENTS_SQL);
      await a.query(raise('source'), [source]);
      incident = await citedIncident(b, source, text);
      await b.commitTransaction();
      await a.commitTransaction();
    });
    await expectFoundByEditorOnly(text, incident);
  });

  it('a source whose level does not change takes no lock (an edit of its title waits for nobody)', async () => {
    const source = await newSource();
    await twoTransactions(async (a, b) => {
      await citedIncident(a, source, word());
      const { statement, waited } = await startWaiting(b, `UPDATE source SET title = title || '.' WHERE id = $1`, [source]);
      expect(waited).toBe(false);
      await statement;
      await b.commitTransaction();
      await a.commitTransaction();
    });
    await expectDocumentsCurrent();
  });

  describe('response stats', () => {
    /** The rollup's answers (a region by month, and the region alone) against the live query's,
     * for each clearance. */
    const expectStatsLive = async () => {
      for (const as of [Role.PUBLIC, Role.RESEARCHER, Role.EDITOR]) {
        for (const groupBy of [['MONTH'], []]) {
          const rollup = await t.gql<any>(STATS, { filter: { regions: ['FR'] }, groupBy }, as);
          const live = await t.gql<any>(STATS, { filter: { regions: ['FR'], dateFrom: '1000' }, groupBy }, as);
          expect(rollup.body.errors).toBeUndefined();
          expect({ as, groupBy, stats: rollup.body.data.incidentStats }).toEqual({ as, groupBy, stats: live.body.data.incidentStats });
        }
      }
    };
    const responsesOf = async (as: Role) => {
      const { body } = await t.gql<any>(STATS, { filter: { regions: ['FR'] }, groupBy: [] }, as);
      return body.data.incidentStats[0]?.responses ?? 0;
    };
    const newResponse = async () => {
      const [{ id }] = await all<{ id: string }>(
        `INSERT INTO advocacy_response (kind, title, date_start, date_precision, confidentiality)
         SELECT kind, title || ' (copy)', date_start, date_precision, 'PUBLIC' FROM advocacy_response ORDER BY id LIMIT 1 RETURNING id`,
      );
      return id;
    };
    const newIncident = async () => {
      const [{ id }] = await all<{ id: string }>(
        `INSERT INTO incident (kind, headline, date_start, date_precision, region_code, confidentiality)
         VALUES ('KILLING', 'Shot at a checkpoint', date '2019-05-06', 'DAY', 'FR', 'PUBLIC') RETURNING id`,
      );
      return id;
    };
    const link = (q: QueryRunner, response: string, incident: string) =>
      q.query(`INSERT INTO response_incident (response_id, incident_id, confidentiality) VALUES ($1, $2, 'PUBLIC')`, [response, incident]);

    it.each([
      ['a response', 'advocacy_response'],
      ['an incident', 'incident'],
    ])('%s raised while another transaction links it to a response (the link took the lock first)', async (_, table) => {
      const response = await newResponse();
      const incident = await newIncident();
      const before = await responsesOf(Role.PUBLIC);
      await twoTransactions(async (a, b) => {
        await link(a, response, incident);
        await raiseWhileLocked(a, b, table, table === 'incident' ? incident : response);
      });
      // The public count did not gain the link: its response or incident is CONFIDENTIAL now.
      expect(await responsesOf(Role.PUBLIC)).toBe(before);
      await expectStatsLive();
    });
  });
});
