/* Issue 14 (class 4) and issue 18 ("hidden rows"): an anonymous search must take as long when
 * thousands of records it may not see match it as when none do. Measured in the same run, on the
 * benchmark's database, as a ratio of latencies at one connection (goal ≤ 1.1).
 *
 * The generated data has no word that only hidden records hold, so the harness adds marked records
 * for this measurement, after every other, and removes them after it: PUBLIC incidents holding two
 * marker words, and CONFIDENTIAL ones holding only the first. A search for the first word then has
 * HIDDEN_MATCHES hidden matches, a search for the second none, and both answer the same PUBLIC
 * incidents. */
import { Client } from 'pg';
import { run, Series, LoadFigures } from './load';
import { graphql } from './requests';

export const HIDDEN_MATCHES = 2000;
const VISIBLE_MATCHES = 20;
const HIDDEN_WORD = 'quillwort';
const CONTROL_WORD = 'sandwort';
/** Marks the added records; nothing generated has it. (A run killed during the measurement leaves
 * them: the next one replaces them, and the database's size check does not count them.) */
export const MARKER = 'Benchmark marker (hidden rows):';

export interface HiddenRowsFigures {
  hiddenMatches: number;
  visibleMatches: number;
  /** One connection, rounds alternating between the two searches. */
  withHidden: LoadFigures;
  withoutHidden: LoadFigures;
  /** p50 with hidden matches over p50 without (goal ≤ 1.1). */
  p50Ratio: number;
  /** Mean over mean, for the same. */
  meanRatio: number;
}

const searchBody = (word: string) => JSON.stringify({ query: `{ incidents(filter: { search: "${word}" }, first: 1) { totalCount edges { node { id headline } } } }` });

/** Adds the marked records (unless a killed run left them), then VACUUM ANALYZE, so that both searches are planned
 * on current statistics and no GIN pending list holds them. */
export async function addHiddenMatches(databaseUrl: string, log: (line: string) => void): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const { rows } = await client.query<{ n: number }>(`SELECT count(*)::int AS n FROM incident WHERE headline LIKE $1`, [`${MARKER}%`]);
    if (rows[0].n === HIDDEN_MATCHES + VISIBLE_MATCHES) return;
    log(`hidden rows: adding ${VISIBLE_MATCHES} PUBLIC and ${HIDDEN_MATCHES} CONFIDENTIAL marked incidents`);
    await client.query('BEGIN');
    await client.query(`DELETE FROM incident WHERE headline LIKE $1`, [`${MARKER}%`]);
    await client.query(
      `INSERT INTO incident (kind, headline, date_start, date_precision, region_code, confidentiality)
       SELECT 'DETENTION',
              $1 || ' ' || CASE WHEN n <= $2 THEN '${HIDDEN_WORD} ${CONTROL_WORD}' ELSE '${HIDDEN_WORD}' END || ' ' || n,
              date '1990-01-01' + n, 'DAY', 'IS',
              (CASE WHEN n <= $2 THEN 'PUBLIC' ELSE 'CONFIDENTIAL' END)::confidentiality
         FROM generate_series(1, $3::int) n`,
      [MARKER, VISIBLE_MATCHES, VISIBLE_MATCHES + HIDDEN_MATCHES],
    );
    await client.query('COMMIT');
    await client.query('VACUUM ANALYZE incident');
  } finally {
    await client.end();
  }
}

export async function removeHiddenMatches(databaseUrl: string): Promise<void> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    await client.query(`DELETE FROM incident WHERE headline LIKE $1`, [`${MARKER}%`]);
    await client.query('VACUUM ANALYZE incident');
  } finally {
    await client.end();
  }
}

/** Both searches, anonymous, at one connection: `rounds` rounds of `seconds` each, alternating, so
 * that other work on the machine hits both alike. */
export async function measureHiddenRows(graphqlUrl: string, seconds: number, rounds: number, warmup: number): Promise<HiddenRowsFigures> {
  const targets = { withHidden: { url: graphqlUrl, body: searchBody(HIDDEN_WORD) }, withoutHidden: { url: graphqlUrl, body: searchBody(CONTROL_WORD) } };
  // Same answer, or the comparison is of two different things.
  const answers = await Promise.all(Object.values(targets).map((t) => graphql(graphqlUrl, JSON.parse(t.body) as { query: string })));
  const totals = answers.map((a) => (a as { incidents: { totalCount: number } }).incidents.totalCount);
  if (totals.some((n) => n !== VISIBLE_MATCHES)) throw new Error(`hidden rows: the searches answered ${totals.join(' and ')} incidents, not ${VISIBLE_MATCHES} each`);
  const series = { withHidden: new Series(1), withoutHidden: new Series(1) };
  for (const key of ['withHidden', 'withoutHidden'] as const) if (warmup > 0) await run(targets[key], 1, warmup);
  for (let round = 0; round < rounds; round++) {
    // Alternate which goes first, too.
    const order = round % 2 ? (['withoutHidden', 'withHidden'] as const) : (['withHidden', 'withoutHidden'] as const);
    for (const key of order) series[key].add(await run(targets[key], 1, Math.max(1, seconds / rounds)), 0);
  }
  const withHidden = series.withHidden.figures();
  const withoutHidden = series.withoutHidden.figures();
  return {
    hiddenMatches: HIDDEN_MATCHES,
    visibleMatches: VISIBLE_MATCHES,
    withHidden,
    withoutHidden,
    p50Ratio: Math.round((withHidden.p50 / withoutHidden.p50) * 100) / 100,
    meanRatio: Math.round((withHidden.mean / withoutHidden.mean) * 100) / 100,
  };
}
