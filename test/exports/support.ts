import { parse } from 'csv-parse/sync';
import { Role } from '../../src/access/role';
import { As, GraphQLBody, TestApp } from '../support/test-app';

export interface Download {
  status: number;
  headers: Record<string, string>;
  /** The body's bytes, as sent. */
  bytes: Buffer;
  /** The body as UTF-8 text. */
  text: string;
}

/** GETs an export through the real HTTP stack as `as` and keeps the body's bytes as they came. */
export async function download(t: TestApp, path: string, as: As = Role.PUBLIC): Promise<Download> {
  const token = typeof as === 'object' ? as.token : as === Role.PUBLIC ? null : await t.tokenFor(as);
  const req = t.http().get(path);
  if (token) req.set('Authorization', `Bearer ${token}`);
  const res = await req.buffer(true).parse((response, done) => {
    const chunks: Buffer[] = [];
    response.on('data', (c: Buffer) => chunks.push(c));
    response.on('end', () => done(null, Buffer.concat(chunks)));
  });
  const bytes = res.body as Buffer;
  return { status: res.status, headers: res.headers as Record<string, string>, bytes, text: bytes.toString('utf8') };
}

export interface Csv {
  header: string[];
  rows: Record<string, string>[];
}

/** Reads a CSV export with an independent RFC 4180 parser (csv-parse), strictly. */
export function readCsv(text: string): Csv {
  const records: string[][] = parse(text, { bom: true, relax_column_count: false });
  const [header, ...body] = records;
  return { header, rows: body.map((values) => Object.fromEntries(header.map((h, i) => [h, values[i]]))) };
}

/** Downloads a CSV export, expects 200, and reads it. */
export async function csv(t: TestApp, path: string, as: As = Role.PUBLIC): Promise<Csv & { text: string }> {
  const d = await download(t, path, as);
  if (d.status !== 200) throw new Error(`${path}: ${d.status} ${d.text}`);
  return { ...readCsv(d.text), text: d.text };
}

/** A query string from GraphQL-shaped filter values: lists as repeated parameters, nested inputs
 * with a dot. */
export function queryOf(values: Record<string, unknown>): string {
  const params = new URLSearchParams();
  const add = (name: string, value: unknown) => {
    if (value === undefined || value === null) return;
    if (Array.isArray(value)) for (const v of value) params.append(name, String(v));
    else if (value instanceof Date) params.append(name, value.toISOString());
    else if (typeof value === 'object') for (const [k, v] of Object.entries(value)) add(`${name}.${k}`, v);
    else params.append(name, String(value));
  };
  for (const [name, value] of Object.entries(values)) add(name, value);
  const text = params.toString();
  return text ? `?${text}` : '';
}

/** The ids a GraphQL list returns for `filter` and `orderBy`, in order (every page). */
export async function listIds(t: TestApp, list: 'incidents' | 'advocacyResponses' | 'sources', filter: Record<string, unknown>, orderBy: string | undefined, as: As): Promise<string[]> {
  const types = { incidents: ['IncidentFilter', 'IncidentOrder'], advocacyResponses: ['ResponseFilter', 'DatedOrder'], sources: ['SourceFilter', 'DatedOrder'] }[list];
  const ids: string[] = [];
  let after: string | null = null;
  for (;;) {
    const { body }: { body: GraphQLBody } = await t.gql<any>(
      `query($filter: ${types[0]}, ${orderBy ? `$orderBy: ${types[1]}!, ` : ''}$after: String) { ` +
        `list: ${list}(filter: $filter, ${orderBy ? 'orderBy: $orderBy, ' : ''}first: 100, after: $after) { pageInfo { hasNextPage endCursor } edges { node { id } } } }`,
      { filter, ...(orderBy ? { orderBy } : {}), after },
      as,
    );
    if (body.errors) throw new Error(JSON.stringify(body.errors));
    const page: { pageInfo: { hasNextPage: boolean; endCursor: string }; edges: { node: { id: string } }[] } = body.data!.list;
    ids.push(...page.edges.map((e) => e.node.id));
    if (!page.pageInfo.hasNextPage) return ids;
    after = page.pageInfo.endCursor;
  }
}

/** Every protected value of the access fixture, as text that would show it leaked. */
export const secretStrings = (secret: Record<string, string | number>) => Object.values(secret).map(String);
