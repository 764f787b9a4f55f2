import 'reflect-metadata';
import { getDataSourceToken } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { createApp } from '../app.factory';

/**
 * Shows PostgreSQL's plan for every SQL statement that representative research requests send, on
 * the database at DATABASE_URL (fill one with `npm run vigil -- generate --incidents 1000000`).
 * Usage: DATABASE_URL=... node dist/src/scripts/explain-requests.js [--analyze]
 * Prints each request's statements with their plans and flags sequential scans on large tables.
 */
const REQUESTS: Record<string, string> = {
  'page of 50 in one country and year, with citations, sources and responses': `{
    incidents(first: 50, filter: { regions: ["RU"], dateFrom: "2017-01-01", dateTo: "2017-12-31" }) {
      edges { node { id headline citations { excerpt source { publisher } } responses { title } } } } }`,
  'kinds and status, newest first': `{ incidents(first: 50, filter: { kinds: [KILLING], verificationStatuses: [VERIFIED] }) { edges { node { id } } } }`,
  'full-text search, ranked': `{ incidents(first: 50, filter: { search: "detained prison" }, orderBy: RELEVANCE) { edges { node { id headline } } } }`,
  'a word few incidents hold, newest first': `{ incidents(first: 1, filter: { search: "sandwort" }) { totalCount edges { node { id } } } }`,
  'full-text search in a country, newest first': `{ incidents(first: 50, filter: { search: "torture", regions: ["SY"] }) { edges { node { id } } } }`,
  'most victims first, at least 100': `{ incidents(first: 50, filter: { victims: { min: 100 } }, orderBy: VICTIMS_DESC) { edges { node { id } } } }`,
  'no response yet, in a country': `{ incidents(first: 50, filter: { regions: ["MX"], hasResponse: false }) { edges { node { id } } } }`,
  'perpetrator text': `{ incidents(first: 50, filter: { perpetrator: "police" }) { edges { node { id } } } }`,
  'at least 3 independent sources in a country': `{ incidents(first: 50, filter: { regions: ["RU"], minIndependentSources: 3 }) { edges { node { id } } } }`,
  'changed since': `{ incidents(first: 50, filter: { updatedSince: "2026-10-30T00:00:00Z" }, orderBy: UPDATED_DESC) { edges { node { id } } } }`,
  'monthly aggregate for a country': `{ incidentStats(filter: { regions: ["RU"] }, groupBy: [MONTH]) { month incidents } }`,
};

const LARGE_TABLES = ['incident', 'citation', 'source', 'advocacy_response', 'response_incident', 'person', 'involvement'];

async function main(): Promise<void> {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error('Set DATABASE_URL');
  const analyze = process.argv.includes('--analyze');
  const app = await createApp({ databaseUrl: url, logLevel: 'silent' });
  const fastify = app.getHttpAdapter().getInstance();
  const captured: [string, unknown[] | undefined][] = [];
  const original = PostgresQueryRunner.prototype.query;
  let capturing = false;
  PostgresQueryRunner.prototype.query = function (this: PostgresQueryRunner, query: string, parameters?: unknown[], ...rest: unknown[]) {
    if (capturing && /^\s*(SELECT|WITH)/i.test(query)) captured.push([query, parameters]);
    return (original as (...args: unknown[]) => Promise<unknown>).call(this, query, parameters, ...rest);
  } as typeof original;
  const explainer = app.get<DataSource>(getDataSourceToken()).createQueryRunner();
  let problems = 0;
  for (const [name, query] of Object.entries(REQUESTS)) {
    captured.length = 0;
    capturing = true;
    const started = Date.now();
    const res = await fastify.inject({ method: 'POST', url: '/graphql', payload: { query } });
    const elapsed = Date.now() - started;
    capturing = false;
    const errors = (JSON.parse(res.body) as { errors?: unknown[] }).errors;
    console.log(`\n## ${name} (${elapsed} ms, ${captured.length} statements)${errors ? ` ERRORS ${JSON.stringify(errors)}` : ''}`);
    for (const [sql, params] of captured) {
      const plan: { 'QUERY PLAN': string }[] = await (original as (...args: unknown[]) => Promise<never>).call(
        explainer,
        `EXPLAIN (${analyze ? 'ANALYZE, TIMING OFF, ' : ''}COSTS OFF) ${sql}`,
        params,
      );
      const text = plan.map((r) => r['QUERY PLAN']).join('\n');
      const seq = LARGE_TABLES.filter((t) => new RegExp(`Seq Scan on ${t}\\b`).test(text));
      if (seq.length) problems++;
      console.log(`\n${sql.replace(/\s+/g, ' ').slice(0, 160)}…\n${seq.length ? `!! sequential scan on ${seq.join(', ')}\n` : ''}${text}`);
    }
  }
  console.log(`\n${problems} statement(s) with a sequential scan on a large table`);
  await explainer.release();
  await app.close();
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
