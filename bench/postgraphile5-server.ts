/* PostGraphile 5 (Grafast) on the benchmark database, as a library on a plain http server: the
 * current release, beside PostGraphile 4 (bench/postgraphile4-server.ts), over the same bench_pg
 * schema (bench/postgraphile.sql). Its recommended setup: the Amber preset, no GraphiQL, no watch,
 * no explain; mutations, PgRBACPlugin and PgIndexBehaviorsPlugin off, as v4's settings have them
 * (disableDefaultMutations, ignoreRBAC, ignoreIndexes: views have no indexes, so every column may be
 * ordered by). Env: DATABASE_URL, PORT. */

/* PostGraphile 5 wants Node 22 (engines >= 22): Grafast calls Promise.withResolvers (ES2024), and
 * on Node 20 every query fails ("Cannot read properties of undefined (reading 'items')"). This is
 * that one function, as the specification defines it, for this process only; it must be in place
 * before Grafast loads, hence the require() calls below rather than imports. */
type WithResolvers = <T>() => { promise: Promise<T>; resolve: (value: T | PromiseLike<T>) => void; reject: (reason?: unknown) => void };
const promiseConstructor = Promise as unknown as PromiseConstructor & { withResolvers?: WithResolvers };
promiseConstructor.withResolvers ??= function withResolvers<T>() {
  let resolve!: (value: T | PromiseLike<T>) => void;
  let reject!: (reason?: unknown) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
};

import { createServer } from 'node:http';
import { Pool } from 'pg';
import { serveUntilStopped } from './protocol';

/* eslint-disable @typescript-eslint/no-require-imports */
const { postgraphile } = require('postgraphile') as typeof import('postgraphile');
const { PostGraphileAmberPreset } = require('postgraphile/presets/amber') as typeof import('postgraphile/presets/amber');
const { makePgService } = require('postgraphile/adaptors/pg') as typeof import('postgraphile/adaptors/pg');
const { grafserv } = require('postgraphile/grafserv/node') as typeof import('postgraphile/grafserv/node');
/* eslint-enable @typescript-eslint/no-require-imports */

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20, application_name: 'bench-postgraphile5' });

const preset: GraphileConfig.Preset = {
  extends: [PostGraphileAmberPreset],
  disablePlugins: ['PgMutationCreatePlugin', 'PgMutationUpdateDeletePlugin', 'PgRBACPlugin', 'PgIndexBehaviorsPlugin'],
  pgServices: [makePgService({ pool, schemas: ['bench_pg'] })],
  grafserv: { graphqlPath: '/graphql', graphiql: false, watch: false },
  grafast: { explain: false },
};

const pgl = postgraphile(preset);
const serv = pgl.createServ(grafserv);
/* createHandler rather than serv.addTo(server): addTo answers every other path itself (404), and
 * the harness needs /health; createHandler passes what is not GraphQL to `next`. Websockets, the
 * only thing addTo adds, are not used here. */
const handler = serv.createHandler();
const server = createServer((req, res) => {
  handler(req, res, () => {
    if (req.url === '/health') res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    else res.writeHead(404).end();
  });
});
// The schema is built on the first request otherwise: build it before saying we are ready.
void Promise.resolve(pgl.getSchema()).then(
  () => serveUntilStopped(server, pool),
  (error: unknown) => {
    process.stderr.write(`PostGraphile 5 could not build its schema: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exit(1);
  },
);
