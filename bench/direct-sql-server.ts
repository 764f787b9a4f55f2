/* The limit: the SQL statements Vigil sent for a request, recorded by the statement counter with
 * their parameters, sent again through `pg` by a minimal http server, in the same waves (statements
 * Vigil had in flight together run together here too), with the rows returned as JSON. Measured by
 * the same load generator over the same loopback HTTP as the GraphQL servers, so the difference is
 * what GraphQL, Nest and TypeORM add. Env: DATABASE_URL, PORT, PLANS (a JSON file: read name ->
 * recorded statements). Serves POST /<read name>. */
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { Pool } from 'pg';
import { serveUntilStopped, type RecordedStatement } from './protocol';

const plans = JSON.parse(readFileSync(process.env.PLANS!, 'utf8')) as Record<string, RecordedStatement[]>;
const waves = new Map<string, RecordedStatement[][]>();
for (const [name, statements] of Object.entries(plans)) {
  const byWave = new Map<number, RecordedStatement[]>();
  for (const s of statements) byWave.set(s.wave, [...(byWave.get(s.wave) ?? []), s]);
  waves.set(`/${name}`, [...byWave.entries()].sort((a, b) => a[0] - b[0]).map(([, list]) => list));
}

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20, application_name: 'bench-direct-sql' });

async function run(plan: RecordedStatement[][]): Promise<unknown[][]> {
  const results: unknown[][] = [];
  for (const wave of plan) {
    const rows = await Promise.all(wave.map((s) => pool.query({ text: s.text, values: s.values }).then((r) => r.rows)));
    results.push(...rows);
  }
  return results;
}

const server = createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    return;
  }
  const plan = waves.get(req.url ?? '');
  req.resume(); // the body is not needed
  req.on('end', () => {
    if (!plan) {
      res.writeHead(404).end();
      return;
    }
    run(plan).then(
      (results) => {
        res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ results }));
      },
      (error: Error) => {
        res.writeHead(500, { 'content-type': 'text/plain' }).end(error.message);
      },
    );
  });
});
serveUntilStopped(server, pool);
