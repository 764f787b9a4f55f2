import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** The pages' routes: each answers the same document (web/index.html), which reads its path. */
export const PAGE_ROUTES = ['/', '/timeline', '/map', '/incidents/:id', '/responses/:id', '/situations/:id', '/organizations/:id'] as const;
/** The embeddable timeline: the only page another site may frame. */
export const EMBED_ROUTE = '/timeline/embed';
export const GRAPHIQL_ROUTE = '/graphiql';

/** Where `npm run web:build` writes the pages: web/dist beside package.json, found from here both
 * in the compiled service (dist/src/web) and under ts-jest (src/web). */
export function webDist(): string {
  let dir = __dirname;
  while (!existsSync(join(dir, 'package.json')) && dirname(dir) !== dir) dir = dirname(dir);
  return join(dir, 'web', 'dist');
}

function sendPage(reply: FastifyReply, html: string | null): FastifyReply {
  if (html === null) {
    return reply
      .code(503)
      .type('text/plain; charset=utf-8')
      .send('The pages are not built: run `npm run web:build` (npm start and npm test build them).');
  }
  // The document names its hashed assets: always ask for the current one.
  return reply.header('cache-control', 'no-cache').type('text/html; charset=utf-8').send(html);
}

/** Serves the pages (web/), built by Vite, on the service's own port: the documents at their
 * routes and their bundled assets under /assets/. Each route's Content-Security-Policy is set in
 * src/security/http-security.ts. GraphiQL (bundled, no CDN) only when `graphiql` is on. */
export async function registerWebPages(fastify: FastifyInstance, options: { graphiql: boolean }): Promise<void> {
  const root = webDist();
  // Read on each request (a few hundred bytes): a rebuild under a running service serves the new
  // assets at once.
  const read = (file: string): Promise<string | null> => readFile(join(root, file), 'utf8').catch(() => null);

  await fastify.register(fastifyStatic, {
    root: join(root, 'assets'),
    prefix: '/assets/',
    // Vite names assets by their content's hash: they never change under one name.
    immutable: true,
    maxAge: '365d',
    index: false,
    list: false,
    // A missing folder (pages not built) must not stop the service: the pages answer 503.
    ...(existsSync(join(root, 'assets')) ? {} : { serve: false }),
  });

  for (const url of PAGE_ROUTES) fastify.get(url, async (_request, reply) => sendPage(reply, await read('index.html')));
  fastify.get(EMBED_ROUTE, async (_request, reply) => {
    // Another site may frame this page (its CSP's frame-ancestors says so); helmet's
    // X-Frame-Options: DENY would forbid it in browsers that read only that header. Helmet writes
    // its headers on the raw response.
    reply.raw.removeHeader('x-frame-options');
    return sendPage(reply, await read('index.html'));
  });
  if (options.graphiql) fastify.get(GRAPHIQL_ROUTE, async (_request, reply) => sendPage(reply, await read('graphiql.html')));
}
