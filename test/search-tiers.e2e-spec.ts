import { generateData } from '../src/generate/generator';
import { IncidentKind } from '../src/incidents/incident-kind';
import { SEARCH_DOCUMENT_TABLES } from '../src/incidents/search-document';
import { Role, startTestApp, TestApp } from './support/test-app';

/**
 * Relevance ranks in two tiers (docs/research.md, "Search"): incidents whose own text matches, then
 * those found only through their kind, their citations or a name; by ts_rank within a tier. A first
 * page by relevance with no other filter reads the first tier from its own index and, when that
 * tier fills the page, ranks nothing else (incidents.service.ts, hitsSql with paginate's bound).
 * Here that page, and every later one, must be exactly what ranking every match gives: the other
 * plan (filterFirst, taken when any other filter is given: every kind here, which narrows nothing)
 * ranks each incident separately, and the documents themselves give each incident's tier and rank.
 */

const LIST = `query($filter: IncidentFilter, $first: Int, $after: String) {
  incidents(filter: $filter, orderBy: RELEVANCE, first: $first, after: $after) {
    totalCount edges { node { id } } pageInfo { hasNextPage endCursor }
  }
}`;
const EVERY_KIND = Object.values(IncidentKind);
const PAGE = 4;

describe('search: relevance in two tiers, and a first page that stops early', () => {
  let t: TestApp;
  const all = async <T>(sql: string, parameters: unknown[] = []): Promise<T[]> => t.dataSource.query(sql, parameters);

  /** Every incident of the list, page after page (each page bounded: a later one from its cursor). */
  const pages = async (filter: Record<string, unknown>, as: Role, first = PAGE) => {
    const ids: string[] = [];
    let after: string | null = null;
    let total = -1;
    for (let n = 0; n < 500; n++) {
      const { body }: { body: any } = await t.gql<any>(LIST, { filter, first, after }, as);
      expect(body.errors).toBeUndefined();
      const page: any = body.data.incidents;
      total = page.totalCount;
      ids.push(...page.edges.map((e: any) => e.node.id));
      if (!page.pageInfo.hasNextPage) break;
      after = page.pageInfo.endCursor;
    }
    expect(ids).toHaveLength(total);
    return ids;
  };

  /** Tier and rank of each incident from its document in `table` (0 and 0 without one). */
  const tiersAndRanks = async (table: string, search: string, ids: string[]) =>
    all<{ id: string; tier: number; rank: number }>(
      `SELECT x.id, coalesce(CASE WHEN d.document @@ q.q AND ts_filter(d.document, '{a,b}') @@ q.q THEN 1 ELSE 0 END, 0) AS tier,
              coalesce(CASE WHEN d.document @@ q.q THEN ts_rank(d.document, q.q) END, 0)::float8 AS rank
         FROM unnest($1::uuid[]) WITH ORDINALITY x(id, n) CROSS JOIN (SELECT vigil_search_query($2) AS q) q
         LEFT JOIN ${table} d ON d.incident_id = x.id ORDER BY x.n`,
      [ids, search],
    );

  /** How many incidents of `table` match in each tier. */
  const tierSizes = async (table: string, search: string) =>
    (
      await all<{ own: number; other: number }>(
        `SELECT count(*) FILTER (WHERE ts_filter(d.document, '{a,b}') @@ q.q)::int AS own, count(*) FILTER (WHERE NOT ts_filter(d.document, '{a,b}') @@ q.q)::int AS other
           FROM ${table} d, (SELECT vigil_search_query($1) AS q) q WHERE d.document @@ q.q`,
        [search],
      )
    )[0];

  const CASES: { as: Role; table: string; includeDeleted?: boolean }[] = [
    { as: Role.PUBLIC, table: SEARCH_DOCUMENT_TABLES[0] },
    { as: Role.RESEARCHER, table: SEARCH_DOCUMENT_TABLES[1] },
    { as: Role.EDITOR, table: SEARCH_DOCUMENT_TABLES[2] },
    { as: Role.EDITOR, table: SEARCH_DOCUMENT_TABLES[2], includeDeleted: true },
  ];
  let country: string;
  const words = ['detained', 'prison', 'torture', 'detained prison', 'court', 'activist'];

  beforeAll(async () => {
    t = await startTestApp({ demo: false });
    await generateData(t.dataSource, { incidents: 400, seed: 11 });
    [{ country }] = await all<{ country: string }>(
      'SELECT r.country_code AS country FROM incident i JOIN region r ON r.code = i.region_code GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1',
    );
    // Editors' documents hold deleted incidents (for includeDeleted): delete the best own-text
    // matches of each word, which a first page that counted them would then come up short by.
    for (const word of words) {
      await all(
        `UPDATE incident SET deleted_at = now() WHERE id IN (
           SELECT d.incident_id FROM ${SEARCH_DOCUMENT_TABLES[2]} d, (SELECT vigil_search_query($1) AS q) q
            WHERE d.document @@ q.q AND ts_filter(d.document, '{a,b}') @@ q.q ORDER BY ts_rank(d.document, q.q) DESC, d.incident_id DESC LIMIT 3)`,
        [word],
      );
    }
  }, 180_000);
  afterAll(async () => {
    await t?.close();
  });

  it('the test data has words whose first tier fills a first page and words whose first tier does not', async () => {
    const sizes = await Promise.all(words.map((w) => tierSizes(SEARCH_DOCUMENT_TABLES[0], w)));
    expect(sizes.some((s) => s.own > PAGE && s.other > 0)).toBe(true);
    expect(sizes.some((s) => s.own < PAGE && s.other > 0)).toBe(true);
    const [{ deleted }] = await all<{ deleted: number }>('SELECT count(*)::int AS deleted FROM incident WHERE deleted_at IS NOT NULL');
    expect(deleted).toBeGreaterThanOrEqual(words.length);
  });

  for (const { as, table, includeDeleted } of CASES) {
    const who = `${as}${includeDeleted ? ' with includeDeleted' : ''}`;
    it(`${who}: every page is what ranking every match gives, in tiers`, async () => {
      const tiers = new Set<string>();
      for (const word of words) {
        for (const regions of [undefined, [country]]) {
          const filter = { search: word, regions, includeDeleted };
          const bounded = await pages(filter, as);
          const ranked = await pages({ ...filter, kinds: EVERY_KIND }, as, 100);
          expect({ word, regions, ids: bounded }).toEqual({ word, regions, ids: ranked });
          // A first page alone (bounded) is the first page of the whole list.
          const { body } = await t.gql<any>(LIST, { filter, first: PAGE }, as);
          expect(body.data.incidents.edges.map((e: any) => e.node.id)).toEqual(ranked.slice(0, PAGE));
          // And the list is in tiers, then by rank, from the documents of the viewer's clearance.
          const keys = await tiersAndRanks(table, word, ranked);
          for (let i = 1; i < keys.length; i++) {
            const [a, b] = [keys[i - 1], keys[i]];
            expect(a.tier > b.tier || (a.tier === b.tier && (a.rank > b.rank || (a.rank === b.rank && a.id > b.id)))).toBe(true);
          }
          tiers.add(keys.map((k) => k.tier).join(''));
        }
      }
      // Both tiers were there to be ordered.
      expect([...tiers].some((seq) => seq.includes('10'))).toBe(true);
    }, 180_000);
  }
});
