/** Issue 14, class 4: what a search or a text filter costs a viewer does not depend on records above
 * the viewer's clearance. Proved on PostgreSQL's own account of the work, not with a clock: EXPLAIN
 * (ANALYZE, FORMAT JSON) of the exact statements the service sent for the request, over a database
 * where thousands of hidden records match. No plan node may read a row and then drop it for being
 * hidden, and every text index scanned must be the one of the viewer's clearance.
 *
 * The plans are PostgreSQL's own choice, with no planner setting changed: the fixture is a generated
 * database of 20,000 incidents (as `npm run vigil -- generate` makes for the benchmark), analyzed,
 * so that PostgreSQL plans these statements as it does in production for a rare word. Forcing index
 * scans (enable_seqscan off) would prove something about plans production never runs, and hide the
 * plan choice itself, which hidden rows must not sway either. */
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { generateData } from '../../src/generate/generator';
import { Role, startTestApp, TestApp } from '../support/test-app';

/** A word no generated record holds. */
const WORD = 'zorblax';

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  'Actual Rows': number;
  'Actual Loops': number;
  Filter?: string;
  'Join Filter'?: string;
  'Index Cond'?: string;
  'Recheck Cond'?: string;
  'Rows Removed by Filter'?: number;
  'Rows Removed by Join Filter'?: number;
  'Rows Removed by Index Recheck'?: number;
  Plans?: PlanNode[];
}

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];
const VISIBILITY = /confidentiality|deleted_at/;
const TEXT_MATCH = /@@|~~\*/;

/** Each level's records holding WORD: PUBLIC are what the public finds, RESTRICTED what a
 * researcher also finds; CONFIDENTIAL and deleted ones are hidden from both. Few visible ones: a
 * rare word, which PostgreSQL looks up in the text index. For a word that many visible records
 * hold, it may walk the list's order instead, stepping over hidden records whatever they say
 * (docs/access.md, "Timing", ordered walks). */
const LEVELS = `(CASE WHEN n <= 5 THEN 'PUBLIC' WHEN n <= 25 THEN 'RESTRICTED' ELSE 'CONFIDENTIAL' END)::confidentiality`;
const DELETED = `CASE WHEN n > 2305 THEN now() END`;
const MANY = 'generate_series(1, 2405) n';

/** Text indexes of tables that hold no record above PUBLIC (regions: reference data, with no level),
 * which any viewer's search may scan: nothing in them is hidden. */
const UNLEVELLED_TEXT_INDEXES = new Set(['region_search']);

describe('hidden matches cost a viewer nothing (EXPLAIN ANALYZE of the statements sent)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ demo: false });
    await generateData(t.dataSource, { incidents: 20_000, seed: 3 });
    const q = (sql: string) => t.dataSource.query(sql);
    await q(`INSERT INTO incident (kind, headline, perpetrator_description, date_start, date_precision, region_code, confidentiality, deleted_at)
      SELECT 'DETENTION', 'Detention by the ${WORD} unit ' || n, 'The ${WORD} brigade', date '2015-01-01' + n, 'DAY', 'RU-CE', ${LEVELS}, ${DELETED}
        FROM ${MANY}`);
    await q(`INSERT INTO source (kind, publisher, title, published_start, published_precision, confidentiality, deleted_at)
      SELECT 'NEWS_REPORT', 'The ${WORD} Courier', 'Report ' || n, date '2015-01-01' + n, 'DAY', ${LEVELS}, ${DELETED} FROM ${MANY}`);
    // Citations of visible incidents, quoting a visible source: only their own level hides them.
    await q(`INSERT INTO citation (source_id, incident_id, excerpt, confidentiality, deleted_at)
      SELECT (SELECT id FROM source WHERE confidentiality = 'PUBLIC' AND deleted_at IS NULL AND publisher NOT LIKE '%${WORD}%' ORDER BY id LIMIT 1),
             i.id, 'The ${WORD} unit was seen', ${LEVELS}, ${DELETED}
        FROM ${MANY} JOIN (SELECT id, row_number() OVER (ORDER BY id) - 1 AS k FROM incident
                           WHERE confidentiality = 'PUBLIC' AND deleted_at IS NULL AND headline NOT LIKE '%${WORD}%') i ON i.k = n`);
    await q(`INSERT INTO situation (name, date_start, date_precision, confidentiality, deleted_at)
      SELECT 'The ${WORD} campaign ' || n, date '2015-01-01' + n, 'DAY', ${LEVELS}, ${DELETED} FROM ${MANY}`);
    await q(`INSERT INTO advocacy_response (kind, title, date_start, date_precision, confidentiality, deleted_at)
      SELECT 'PETITION', 'Free the ${WORD} prisoners ' || n, date '2015-01-01' + n, 'DAY', ${LEVELS}, ${DELETED} FROM ${MANY}`);
    await q('VACUUM ANALYZE incident, source, citation, situation, advocacy_response');
  }, 180_000);
  afterAll(() => t.close());

  /** The plans of the statements a request sent that match text, run again under EXPLAIN ANALYZE
   * with the same parameters. */
  async function plansOf(query: string, as: Role): Promise<{ sql: string; plan: PlanNode }[]> {
    const spy = jest.spyOn(PostgresQueryRunner.prototype, 'query');
    let calls: [string, unknown[] | undefined][];
    try {
      const { body } = await t.gql<any>(query, {}, as);
      expect(body.errors).toBeUndefined();
      calls = spy.mock.calls.map((c) => [String(c[0]), c[1] as unknown[] | undefined]);
    } finally {
      spy.mockRestore();
    }
    const sent = calls.filter(([sql]) => /^\s*SELECT/i.test(sql) && TEXT_MATCH.test(sql.replace(/ILIKE/g, '~~*')));
    expect(sent.length).toBeGreaterThanOrEqual(2); // the page and its totalCount
    const plans = [];
    for (const [sql, params] of sent) {
      const [row] = await t.dataSource.query(`EXPLAIN (ANALYZE, FORMAT JSON) ${sql}`, params);
      plans.push({ sql, plan: row['QUERY PLAN'][0].Plan as PlanNode });
      if (process.env.SHOW_PLANS) console.log(sql, JSON.stringify(row['QUERY PLAN'][0].Plan, null, 1));
    }
    return plans;
  }

  /** Every plan node that looks for the word and read a hidden row, or scanned a text index other
   * than the clearance's: empty when hidden matches cost nothing. A node looks for the word when its
   * index condition, recheck or filter holds the text match. It may yield no more rows than the
   * viewer has matches of (a hidden match read and then dropped anywhere downstream would show here
   * first), and none of its visibility checks may have removed a row. The other nodes (the walk of
   * the list's own order, the anti-joins of the visibility rule's link checks) do the same work
   * whether or not hidden records match: docs/access.md, "Timing", says what they depend on.
   * `documents`: the matches the viewer may see among the incidents' search documents (one per
   * incident, with its visible citations' text: src/incidents/search-document.ts). */
  function hiddenWork(plans: { sql: string; plan: PlanNode }[], suffix: string, visible: number, documents = visible): string[] {
    const found: string[] = [];
    for (const { sql, plan } of plans) {
      const statement = sql.replace(/\s+/g, ' ').slice(0, 100);
      for (const node of nodesOf(plan)) {
        if (![node['Index Cond'], node['Recheck Cond'], node.Filter].some((c) => c && TEXT_MATCH.test(c))) continue;
        const where = `${node['Node Type']} on ${node['Relation Name'] ?? node['Index Name']} in "${statement}…"`;
        const limit = /^incident_document_/.test(node['Relation Name'] ?? node['Index Name'] ?? '') ? documents : visible;
        if (node['Actual Rows'] > limit) found.push(`${where}: ${node['Actual Rows']} rows, more than the ${limit} matches the viewer may see`);
        const removed: [string | undefined, number | undefined][] = [
          [node.Filter, node['Rows Removed by Filter']],
          [node['Join Filter'], node['Rows Removed by Join Filter']],
          [node['Recheck Cond'], node['Rows Removed by Index Recheck']],
        ];
        for (const [condition, rows] of removed) {
          if (condition && VISIBILITY.test(condition) && rows) found.push(`${where}: ${rows} rows removed by ${condition}`);
        }
        if (node['Index Name'] && !node['Index Name'].endsWith(suffix) && !UNLEVELLED_TEXT_INDEXES.has(node['Index Name'])) found.push(`${where}: text index ${node['Index Name']}, not the clearance's (*${suffix})`);
      }
    }
    return found;
  }

  const READS: [string, string, (data: any) => number][] = [
    ['incidents, search', `incidents(filter: { search: "${WORD}" }, first: 1)`, (d) => d.incidents.totalCount],
    // Ranked: the matches are ranked where they are read, and sorted before the incidents are joined.
    ['incidents, search by relevance', `incidents(filter: { search: "${WORD}" }, orderBy: RELEVANCE, first: 1)`, (d) => d.incidents.totalCount],
    ['incidents, perpetrator', `incidents(filter: { perpetrator: "${WORD}" }, first: 1)`, (d) => d.incidents.totalCount],
    ['incidents, source publisher', `incidents(filter: { sourcePublisher: "${WORD}" }, first: 1)`, (d) => d.incidents.totalCount],
    ['sources, search', `sources(filter: { search: "${WORD}" }, first: 1)`, (d) => d.sources.totalCount],
    ['sources, publisher', `sources(filter: { publisher: "${WORD}" }, first: 1)`, (d) => d.sources.totalCount],
    ['situations, search', `situations(filter: { search: "${WORD}" }, first: 1)`, (d) => d.situations.totalCount],
    ['advocacy responses, search', `advocacyResponses(filter: { search: "${WORD}" }, first: 1)`, (d) => d.advocacyResponses.totalCount],
  ];

  describe.each([
    [Role.PUBLIC, '_public', 5],
    [Role.RESEARCHER, '_restricted', 25],
  ])('%s', (role, suffix, visible) => {
    it.each(READS)('%s: no hidden row read, the clearance\'s index', async (_name, field, total) => {
      const query = `{ ${field} { totalCount edges { node { id } } } }`;
      const { body } = await t.gql<any>(query, {}, role);
      // Every level has records holding the word: the viewer finds those of the levels it reads (an
      // incident matches through its own text, or a citation's; the sources cite no fixture incident).
      const incidents = field.includes('incidents(filter: { search') ? 2 * visible : visible;
      if (!field.includes('sourcePublisher')) expect(total(body.data)).toBe(incidents);
      expect(hiddenWork(await plansOf(query, role), suffix, visible, incidents)).toEqual([]);
    });
  });
});
