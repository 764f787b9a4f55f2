/* PostGraphile 4 on the benchmark database, as a library on a plain http server (issue 7's
 * comparison; PostGraphile 5 is bench/postgraphile5-server.ts). Installed as `postgraphile4`, an npm
 * alias of postgraphile@4, beside PostGraphile 5 as `postgraphile`. It serves the bench_pg schema (bench/postgraphile.sql) with production-like
 * options (no query log, no GraphiQL, no watch, no mutations). Env: DATABASE_URL, PORT. */
import { createServer } from 'node:http';
import Module from 'node:module';
import { dirname } from 'node:path';
import { Pool } from 'pg';
import { serveUntilStopped } from './protocol';

/* PostGraphile 4 runs on graphql 15 (it brings its own copy), Vigil on graphql 16. npm hoists
 * graphql-parse-resolve-info, which PostGraphile uses and which takes graphql as a peer, next to
 * Vigil's graphql 16, and two graphql copies in one schema fail ("Cannot use GraphQLList from
 * another module or realm"). This process runs nothing of Vigil's: every `graphql` import in it is
 * pointed at PostGraphile's own copy. */
const graphql15 = dirname(require.resolve('graphql/package.json', { paths: [dirname(require.resolve('postgraphile4/package.json'))] }));
type Resolve = (this: unknown, request: string, ...rest: unknown[]) => string;
const loader = Module as unknown as { _resolveFilename: Resolve };
const resolveFilename = loader._resolveFilename;
loader._resolveFilename = function (request, ...rest) {
  const pinned = request === 'graphql' || request.startsWith('graphql/') ? graphql15 + request.slice('graphql'.length) : request;
  return resolveFilename.call(this, pinned, ...rest);
};
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { postgraphile } = require('postgraphile4') as typeof import('postgraphile4');

const pool = new Pool({ connectionString: process.env.DATABASE_URL, max: 20, application_name: 'bench-postgraphile4' });

const middleware = postgraphile(pool, ['bench_pg'], {
  graphqlRoute: '/graphql',
  graphiql: false,
  disableQueryLog: true,
  watchPg: false,
  retryOnInitFail: false,
  dynamicJson: true,
  setofFunctionsContainNulls: false,
  ignoreRBAC: true,
  // Views have no indexes; let every column be ordered by (PostGraphile's default).
  ignoreIndexes: true,
  disableDefaultMutations: true,
  legacyRelations: 'omit',
  enableQueryBatching: false,
  extendedErrors: ['errcode'],
});

const server = createServer((req, res) => {
  if (req.url === '/health') {
    res.writeHead(200, { 'content-type': 'text/plain' }).end('ok');
    return;
  }
  void middleware(req, res);
});
serveUntilStopped(server, pool);
