/**
 * Bad input, everywhere. The cases are generated from the built schema: every argument of every
 * query and mutation and, inside input objects and lists, every nested field (bounded depth) gets
 * hostile values of its type's kind: the wrong type, huge strings, NUL characters, lone
 * surrogates and invalid UTF-8 bytes in the raw body, SQL-injection text, absurd numbers, very long
 * lists. The other arguments stay valid, so the hostile value is what the service has to judge.
 * Then raw malformed requests, and every parameter of every export route.
 *
 * Every answer must be a clear refusal (4xx, or a GraphQL error with a code and a message) or a
 * proper answer, never a 500 nor INTERNAL_SERVER_ERROR; a value that cannot be valid must be
 * refused, naming the argument or field. And the database must be unchanged afterwards.
 */
import http from 'node:http';
import { GraphQLSchemaHost } from '@nestjs/graphql';
import {
  getNamedType,
  GraphQLField,
  GraphQLInputObjectType,
  GraphQLInputType,
  GraphQLSchema,
  isEnumType,
  isInputObjectType,
  isLeafType,
  isListType,
  isNonNullType,
  isObjectType,
  isScalarType,
} from 'graphql';
import { parameterNames, ParameterSpec } from '../../src/exports/query-parameters';
import { EXPORT_ROUTES, parameterSpec } from '../../src/exports/routes';
import { DEFAULT_SECURITY_OPTIONS } from '../../src/security/security-options';
import { Role, startTestApp, TestApp } from '../support/test-app';

// --- HTTP ---------------------------------------------------------------------------------------

interface Reply {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: Buffer;
  json: unknown;
}

/** One request over a real socket, with the body's bytes exactly as given. */
function send(
  base: URL,
  method: string,
  path: string,
  options: { headers?: Record<string, string>; body?: Buffer | string } = {},
  /** A kept-alive pool; by default a connection of the request's own (a refusal may close it). */
  agent: http.Agent | false = false,
): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const body = options.body === undefined ? undefined : Buffer.isBuffer(options.body) ? options.body : Buffer.from(options.body, 'utf8');
    const req = http.request(
      {
        host: base.hostname,
        port: base.port,
        method,
        path,
        agent,
        headers: { ...(body ? { 'content-length': String(body.length) } : {}), ...options.headers },
        timeout: 30_000,
      },
      (res) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', reject);
        res.on('end', () => {
          const bytes = Buffer.concat(chunks);
          let json: unknown;
          try {
            json = JSON.parse(bytes.toString('utf8'));
          } catch {
            json = undefined;
          }
          resolve({ status: res.statusCode ?? 0, headers: res.headers, body: bytes, json });
        });
      },
    );
    req.on('timeout', () => req.destroy(new Error(`timeout: ${method} ${path.slice(0, 200)}`)));
    req.on('error', reject);
    if (body) req.write(body);
    req.end();
  });
}

/** Runs `work` over `items`, at most `limit` at a time. */
async function pool<T, R>(items: T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results: R[] = new Array(items.length);
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) {
        const i = next++;
        results[i] = await work(items[i], i);
      }
    }),
  );
  return results;
}

// --- Hostile values -----------------------------------------------------------------------------

/** A JSON (and GraphQL) number written exactly as given: 2^53+1 and 1e999 have no exact JS form. */
class RawNumber {
  constructor(readonly text: string) {}
}

/** Replaced in the request body by bytes that are not UTF-8 (a lone 0xFF, a truncated sequence,
 * an overlong '/', an encoded surrogate). */
const BAD_UTF8_MARK = 'zzBADUTF8zz';
const BAD_UTF8_BYTES = Buffer.from([0x61, 0xff, 0xfe, 0xc3, 0x28, 0xc0, 0xaf, 0xed, 0xa0, 0x80, 0xf8, 0x88, 0x80, 0x80, 0x80, 0x62]);

function withBadUtf8(body: string): Buffer {
  const bytes = Buffer.from(body, 'utf8');
  if (!body.includes(BAD_UTF8_MARK)) return bytes;
  const mark = Buffer.from(BAD_UTF8_MARK);
  const parts: Buffer[] = [];
  let from = 0;
  for (let at = bytes.indexOf(mark); at !== -1; at = bytes.indexOf(mark, from)) {
    parts.push(bytes.subarray(from, at), BAD_UTF8_BYTES);
    from = at + mark.length;
  }
  parts.push(bytes.subarray(from));
  return Buffer.concat(parts);
}

/** JSON.stringify, but RawNumber as written. */
function toJson(value: unknown): string {
  if (value instanceof RawNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map(toJson).join(',')}]`;
  if (value && typeof value === 'object') return `{${Object.entries(value).map(([k, v]) => `${JSON.stringify(k)}:${toJson(v)}`).join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

interface Hostile {
  label: string;
  value: unknown;
  /** No field of this type can accept it: it must be refused, naming the argument or field. */
  refused: boolean;
  /** Sent to every field of its type; the others take turns (see gqlCases). */
  always?: boolean;
}

/** A well-formed id of no record. */
const UPPER_UUID = 'FFFFFFFF-FFFF-4FFF-BFFF-FFFFFFFFFFFF';
const HUGE = 'x'.repeat(1_000_000); // under the 1 MiB body limit, over every field's own limit
const SQL = [
  "'; DROP TABLE incident; --",
  '1 OR 1=1',
  "' OR '1'='1' --",
  '"); DELETE FROM account; --',
  "1); SELECT pg_sleep(5); --",
  "' UNION SELECT email, NULL FROM account --",
];
const ODD_TEXT: [string, string][] = [
  ['like wildcards', '%_\\%'],
  ['TypeORM parameter syntax', ':search :...ids :id'],
  ['SQL placeholder', '$1'],
  ['lone surrogates', '\ud800x\udfff'],
  ['controls and bidi', '\u202e\u0007\r\n\t\u2028'],
  ['empty', ''],
  ['NaN as text', 'NaN'],
  ['1e308 as text', '1e308'],
];

function textValues(id: boolean): Hostile[] {
  // An ID is a UUID: no text but a UUID can be one. Other text may be valid for some field.
  return [
    ...SQL.map((s, i) => ({ label: `sql#${i}`, value: s, refused: id, always: i === 0 })),
    ...ODD_TEXT.map(([label, value]) => ({ label, value, refused: id })),
    { label: 'NUL', value: 'a\u0000b', refused: true, always: true },
    { label: 'invalid UTF-8 bytes', value: `a${BAD_UTF8_MARK}b`, refused: id },
    { label: '1 MB', value: HUGE, refused: true, always: true },
    { label: '20,001 chars', value: 'y'.repeat(20_001), refused: true },
    { label: 'number', value: 12345, refused: true, always: true },
    { label: 'float', value: 1.5, refused: true },
    { label: 'boolean', value: true, refused: true },
    { label: 'object', value: { a: 1 }, refused: true },
    { label: 'list of lists', value: [['a']], refused: true },
    ...(id
      ? [
          { label: 'UUID with NUL', value: '00000000-0000-4000-8000-000000000000\u0000', refused: true },
          { label: 'upper-case UUID', value: UPPER_UUID, refused: false },
        ]
      : []),
  ];
}

const INT_VALUES: Hostile[] = [
  { label: 'numeric string', value: '1', refused: true, always: true },
  { label: 'fraction', value: 1.5, refused: true },
  { label: '2^31', value: 2 ** 31, refused: true },
  { label: '-2^31-1', value: -(2 ** 31) - 1, refused: true },
  { label: '2^53+1', value: new RawNumber('9007199254740993'), refused: true, always: true },
  { label: '1e308', value: 1e308, refused: true },
  { label: '-1e308', value: -1e308, refused: true },
  { label: '1e999', value: new RawNumber('1e999'), refused: true },
  { label: '-1', value: -1, refused: true, always: true }, // every count, page size and version is at least 0
  { label: '0', value: 0, refused: false },
  { label: '2^31-1', value: 2 ** 31 - 1, refused: false },
  { label: 'NaN', value: 'NaN', refused: true },
  { label: 'boolean', value: true, refused: true },
  { label: 'sql', value: SQL[1], refused: true },
];

const FLOAT_VALUES: Hostile[] = [
  { label: 'NaN', value: 'NaN', refused: true, always: true },
  { label: 'Infinity', value: 'Infinity', refused: true },
  { label: '1e308', value: 1e308, refused: true, always: true }, // every float is a latitude or a longitude
  { label: '-1e308', value: -1e308, refused: true },
  { label: '1e999', value: new RawNumber('1e999'), refused: true },
  { label: '2^53+1', value: new RawNumber('9007199254740993'), refused: true },
  { label: '-1', value: -1, refused: false },
  { label: 'denormal', value: 5e-324, refused: false },
  { label: 'numeric string', value: '1', refused: true },
  { label: 'boolean', value: false, refused: true },
  { label: 'sql', value: SQL[1], refused: true },
];

const BOOLEAN_VALUES: Hostile[] = [
  { label: 'string', value: 'true', refused: true, always: true },
  { label: '0', value: 0, refused: true },
  { label: '1', value: 1, refused: true, always: true },
  { label: 'sql', value: SQL[1], refused: true },
];

const DATE_TIME_VALUES: Hostile[] = [
  { label: 'not a date', value: 'not a date', refused: true, always: true },
  { label: 'impossible date', value: '2020-13-45T99:99:99Z', refused: true },
  { label: 'a day that does not exist', value: '2019-02-29T00:00:00Z', refused: true },
  { label: 'year 0', value: '0000-01-01T00:00:00Z', refused: false },
  { label: 'largest JS date', value: '+275760-09-13T00:00:00.000Z', refused: true },
  // A JavaScript Date that PostgreSQL's timestamptz cannot hold.
  { label: 'smallest JS date', value: '-271821-04-20T00:00:00.000Z', refused: true, always: true },
  { label: 'year 9999', value: '9999-12-31T23:59:59.999Z', refused: false },
  { label: '1e308', value: 1e308, refused: true },
  { label: 'a timestamp', value: -1, refused: true },
  { label: 'sql', value: SQL[0], refused: true },
  { label: 'NUL', value: '2020-01-01T00:00:00Z\u0000', refused: true },
  { label: '1 MB', value: HUGE, refused: true },
  { label: 'empty', value: '', refused: true },
];

function enumValues(): Hostile[] {
  return [
    { label: 'unknown value', value: 'NOT_A_VALUE', refused: true, always: true },
    { label: 'sql', value: SQL[0], refused: true, always: true },
    { label: 'number', value: 1, refused: true },
    { label: 'empty', value: '', refused: true },
    { label: 'NUL', value: 'A\u0000', refused: true },
    { label: '1 MB', value: HUGE, refused: true },
  ];
}

/** Hostile values for a value of `type` (as declared, NonNull included). */
function hostileValues(type: GraphQLInputType, item: () => unknown): Hostile[] {
  const nonNull = isNonNullType(type);
  const inner = nonNull ? type.ofType : type;
  const values: Hostile[] = [{ label: 'null', value: null, refused: nonNull }];
  if (isListType(inner)) {
    const itemType = inner.ofType;
    const itemsNonNull = isNonNullType(itemType);
    const named = getNamedType(itemType);
    values.push(
      // Object items cost validation each: 2,000 is over every list's limit too.
      { label: 'very long', value: Array.from({ length: isInputObjectType(named) ? 2_000 : 10_000 }, item), refused: true, always: true },
      { label: 'null item', value: [null], refused: itemsNonNull },
      { label: 'nested list', value: [[item()]], refused: true, always: true },
      { label: 'object', value: { nope: 1 }, refused: true },
      // A single value stands for a list of one: 7 is a fine [Int], and "7" (an ID) is no UUID.
      { label: 'number', value: 7, refused: !(isScalarType(named) && named.name === 'Int') },
    );
    return values;
  }
  if (isInputObjectType(inner)) {
    let deep: Record<string, unknown> = { nope: 1 };
    for (let i = 0; i < 500; i++) deep = { nope: deep };
    values.push(
      { label: 'string', value: 'x', refused: true, always: true },
      { label: 'number', value: 1, refused: true, always: true },
      { label: 'list', value: [], refused: true },
      { label: 'unknown field', value: { ...(item() as object), nope: 1 }, refused: true },
      { label: '500 levels deep', value: deep, refused: true },
      { label: 'sql', value: SQL[0], refused: true },
    );
    return values;
  }
  if (isEnumType(inner)) return [...values, ...enumValues()];
  if (isScalarType(inner)) {
    switch (inner.name) {
      case 'String':
        return [...values, ...textValues(false)];
      case 'ID':
        return [...values, ...textValues(true)];
      case 'Int':
        return [...values, ...INT_VALUES];
      case 'Float':
        return [...values, ...FLOAT_VALUES];
      case 'Boolean':
        return [...values, ...BOOLEAN_VALUES];
      case 'DateTime':
        return [...values, ...DATE_TIME_VALUES];
    }
  }
  throw new Error(`No hostile values for ${String(type)}: add them`);
}

// --- Valid values around the hostile one --------------------------------------------------------

/** An id of no record: writes that name it are refused by the write validation. */
const NOWHERE = '00000000-0000-4000-8000-00000000dead';

const GOOD_BY_NAME: Record<string, unknown> = {
  regionCode: 'RU',
  code: 'RU',
  email: 'nobody@example.org',
  url: 'https://example.org/',
  website: 'https://example.org/',
  archivedUrl: 'https://example.org/',
  language: 'en',
  since: '2020-01-01T00:00:00.000Z',
  version: 1,
  toVersion: 1,
  reason: 'bad input test',
};

const GOOD_SCALARS: Record<string, unknown> = {
  ID: NOWHERE,
  String: 'x',
  Int: 1,
  Float: 1,
  Boolean: false,
  DateTime: '2020-01-01T00:00:00.000Z',
};

/** Input fields that are optional to GraphQL but of which the validation wants one of a group:
 * given when the hostile value is not in a sibling of the group. */
const ONE_OF: Record<string, Record<string, string[]>> = {
  NewCitationInput: { sourceId: ['source'] },
  NewInvolvementInput: { personId: ['person'] },
  CreateCitationInput: { incidentId: ['situationId', 'responseId'] },
};

/** A valid value of `type` (required fields only), for a field named `name`; `next` is the field
 * of it that will hold the hostile value. */
function good(type: GraphQLInputType, name: string, next?: string): unknown {
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return [good(inner.ofType, name)];
  if (isEnumType(inner)) return inner.getValues()[0].name;
  if (isScalarType(inner)) return name in GOOD_BY_NAME ? GOOD_BY_NAME[name] : GOOD_SCALARS[inner.name];
  if (!isInputObjectType(inner)) throw new Error(`Unexpected input type ${String(type)}`);
  if (inner.name === 'DateInput') {
    // Parts and EDTF exclude each other: the hostile value goes with the form it belongs to.
    return next && ['start', 'end', 'precision', 'openEnd'].includes(next) ? { start: '2017-04-02', precision: 'DAY' } : { edtf: '2017-04-02' };
  }
  const value: Record<string, unknown> = {};
  for (const field of Object.values(inner.getFields())) {
    if (isNonNullType(field.type) && field.defaultValue === undefined) value[field.name] = good(field.type, field.name);
  }
  for (const [field, siblings] of Object.entries(ONE_OF[inner.name] ?? {})) {
    if (next !== field && !siblings.includes(next ?? '')) value[field] = good(inner.getFields()[field].type, field);
  }
  return value;
}

/** `type`'s valid value with the hostile one at `path` (field names, `[0]` for a list's item). */
function place(type: GraphQLInputType, name: string, path: string[], hostile: unknown): unknown {
  if (path.length === 0) return hostile;
  const inner = isNonNullType(type) ? type.ofType : type;
  if (isListType(inner)) return [place(inner.ofType, name, path.slice(1), hostile)];
  const object = inner as GraphQLInputObjectType;
  const value = good(object, name, path[0]) as Record<string, unknown>;
  value[path[0]] = place(object.getFields()[path[0]].type, path[0], path.slice(1), hostile);
  return value;
}

/**
 * The database must not change, and a hostile value may be valid for its field (SQL in a
 * description is just text). So every write also carries values its validation refuses, which it
 * reports together with whatever is wrong with the hostile value (validateWrite lists every
 * problem of a request at once): the hostile value is still judged by every rule, and nothing is
 * written. A poison is left out where it would cover the hostile value's path; each write has two,
 * or one the hostile value cannot be at without being refused itself.
 */
const POISONS: Record<string, [path: string, value: unknown][]> = {
  createAccount: [['input.email', 'not an email'], ['input.displayName', '']],
  createApiToken: [['input.expiresInDays', 0], ['input.accountId', NOWHERE]],
  createAdvocacyResponse: [['input.regionCode', 'ZZ-NOPE'], ['input.incidentIds', [NOWHERE]]],
  createCitation: [['input.sourceId', NOWHERE], ['input.claim', 'c'.repeat(201)]],
  createIncident: [['input.regionCode', 'ZZ-NOPE'], ['input.situationId', NOWHERE]],
  createInvolvement: [['input.incidentId', NOWHERE], ['input.personId', NOWHERE]],
  createOrganization: [['input.regionCode', 'ZZ-NOPE'], ['input.website', 'javascript:alert(1)']],
  createPerson: [['input.birthYear', 1], ['input.pseudonym', '']],
  createSituation: [['input.regionCode', 'ZZ-NOPE'], ['input.date', { edtf: 'not a date' }]],
  createSource: [['input.publisherOrganizationId', NOWHERE], ['input.contentHash', 'md5:nope']],
  deleteRecord: [['input.version', 0], ['input.id', NOWHERE]],
  restoreRecord: [['input.version', 0], ['input.id', NOWHERE]],
  revertRecord: [['input.version', 0], ['input.id', NOWHERE]],
  purgeRecord: [['input.reason', ''], ['input.id', NOWHERE]],
  linkResponse: [['input.responseId', NOWHERE], ['input.reason', 'r'.repeat(2001)]],
  unlinkResponse: [['input.responseId', NOWHERE], ['input.reason', 'r'.repeat(2001)]],
  // `id` goes through its own pipe before `input` is validated: it names no record (NOT_FOUND after
  // the input's validation), and any hostile id is no UUID.
  revokeApiToken: [['id', NOWHERE]],
  updateAccount: [['id', NOWHERE]],
  updateAdvocacyResponse: [['input.version', 0], ['input.id', NOWHERE]],
  updateCitation: [['input.version', 0], ['input.id', NOWHERE]],
  updateIncident: [['input.version', 0], ['input.id', NOWHERE]],
  updateInvolvement: [['input.version', 0], ['input.id', NOWHERE]],
  updateOrganization: [['input.version', 0], ['input.id', NOWHERE]],
  updatePerson: [['input.version', 0], ['input.id', NOWHERE]],
  updateSituation: [['input.version', 0], ['input.id', NOWHERE]],
  updateSource: [['input.version', 0], ['input.id', NOWHERE]],
};

function overlaps(a: string[], b: string[]): boolean {
  const n = Math.min(a.length, b.length);
  return a.slice(0, n).every((s, i) => s === b[i]);
}

function poison(args: Record<string, unknown>, operation: string, target: string[]): number {
  let applied = 0;
  for (const [written, value] of POISONS[operation] ?? []) {
    const path = written.split('.');
    if (overlaps(path, target)) continue;
    let at: unknown = args;
    for (const part of path.slice(0, -1)) at = at && typeof at === 'object' ? (at as Record<string, unknown>)[part] : undefined;
    if (!at || typeof at !== 'object' || Array.isArray(at)) continue;
    (at as Record<string, unknown>)[path.at(-1)!] = value;
    applied++;
  }
  return applied;
}

// --- GraphQL cases ------------------------------------------------------------------------------

interface Operation {
  kind: 'query' | 'mutation';
  coordinate: string;
  field: GraphQLField<unknown, unknown>;
}

interface Target {
  operation: Operation;
  /** Argument name, then input field names and `[0]` for a list's item. */
  path: string[];
  type: GraphQLInputType;
}

interface GqlCase {
  label: string;
  operation: Operation;
  /** The hostile value's path, as input problems name it (`filter.victims.min`). */
  target: string;
  body: () => Buffer;
  /** The request must be refused: the value is invalid anywhere, or it is a (poisoned) write. */
  mustRefuse: boolean;
  /** The refusal must name the target: the value is invalid anywhere. */
  mustName: boolean;
  as: Role.ADMIN | Role.PUBLIC;
}

const MAX_PATH = 8;

function operationsOf(schema: GraphQLSchema): Operation[] {
  return (['query', 'mutation'] as const).flatMap((kind) => {
    const type = kind === 'query' ? schema.getQueryType()! : schema.getMutationType()!;
    return Object.values(type.getFields()).map((field) => ({ kind, coordinate: `${type.name}.${field.name}`, field }));
  });
}

function targetsOf(operation: Operation): Target[] {
  const found: Target[] = [];
  const visit = (type: GraphQLInputType, path: string[], seen: string[]) => {
    found.push({ operation, path, type });
    if (path.length >= MAX_PATH) return;
    const inner = isNonNullType(type) ? type.ofType : type;
    if (isListType(inner)) visit(inner.ofType, [...path, '[0]'], seen);
    else if (isInputObjectType(inner) && !seen.includes(inner.name)) {
      for (const field of Object.values(inner.getFields())) visit(field.type, [...path, field.name], [...seen, inner.name]);
    }
  };
  for (const arg of operation.field.args) visit(arg.type, [arg.name], []);
  return found;
}

/** The name of the input object type that holds the last field of `path`. */
function parentTypeOf(operation: Operation, path: string[]): string | null {
  let type: GraphQLInputType = operation.field.args.find((a) => a.name === path[0])!.type;
  let holder: string | null = null;
  for (const part of path.slice(1)) {
    const inner: GraphQLInputType = isNonNullType(type) ? type.ofType : type;
    if (isListType(inner)) type = inner.ofType;
    else {
      holder = (inner as GraphQLInputObjectType).name;
      type = (inner as GraphQLInputObjectType).getFields()[part].type;
    }
  }
  return holder;
}

function pathText(path: string[]): string {
  return path.reduce((text, part) => (part === '[0]' ? `${text}[0]` : text ? `${text}.${part}` : part), '');
}

function selectionOf(operation: Operation): string {
  const type = getNamedType(operation.field.type);
  if (isLeafType(type)) return '';
  // Connections: the page and its count both run the filter's SQL. Nothing protected is selected.
  if (isObjectType(type) && type.name.endsWith('Connection')) return ' { totalCount pageInfo { hasNextPage } }';
  return ' { __typename }';
}

/** `value` as a GraphQL literal of `type` (enum names bare). */
function literal(value: unknown, type: GraphQLInputType | undefined): string {
  const inner = type && isNonNullType(type) ? type.ofType : type;
  if (value === null || value === undefined) return 'null';
  if (value instanceof RawNumber) return value.text;
  if (Array.isArray(value)) return `[${value.map((v) => literal(v, inner && isListType(inner) ? inner.ofType : inner)).join(', ')}]`;
  if (typeof value === 'object') {
    const fields = inner && isInputObjectType(inner) ? inner.getFields() : {};
    return `{${Object.entries(value).map(([k, v]) => `${k}: ${literal(v, fields[k]?.type)}`).join(', ')}}`;
  }
  if (typeof value === 'string' && inner && isEnumType(inner) && /^[_A-Za-z][_0-9A-Za-z]*$/.test(value) && !['true', 'false', 'null'].includes(value)) {
    return value;
  }
  return JSON.stringify(value);
}

function gqlCases(schema: GraphQLSchema): { cases: GqlCase[]; targets: Target[] } {
  const cases: GqlCase[] = [];
  const targets = operationsOf(schema).flatMap(targetsOf);
  let n = 0;
  /** Input fields already given every kind of value: `kind Type.field`. */
  const judged = new Set<string>();
  for (const [index, target] of targets.entries()) {
    const { operation, path } = target;
    const name = operation.field.name;
    const argTypes = new Map(operation.field.args.map((a) => [a.name, a.type]));
    const leafName = [...path].reverse().find((p) => p !== '[0]')!;
    const inner = isNonNullType(target.type) ? target.type.ofType : target.type;
    // To keep the run short, a field gets the values marked `always` and a third of the others,
    // which take turns from field to field. An input type is validated the same wherever it is
    // nested, and writes' poisons keep it from the database; a list's filter builds the same SQL
    // under each operation that takes it (incidents, incidentStats and timeline share the incident
    // filter). So the same field of the same input type, met again, gets a smaller share.
    const parent = path.length > 1 ? parentTypeOf(operation, path) : null;
    const key = parent ? `${operation.kind} ${parent}.${leafName}${path.at(-1) === '[0]' ? '[0]' : ''}` : null;
    const repeated = key !== null && judged.has(key);
    if (key) judged.add(key);
    const every = !repeated ? 3 : operation.kind === 'mutation' ? 12 : 8;
    const values = hostileValues(target.type, () => good(isListType(inner) ? inner.ofType : target.type, leafName)).filter(
      (v, i) => (v.always && !(repeated && v.value === HUGE)) || (i + index) % every === 0,
    );
    for (const hostile of values) {
      // Inline literals for one case in three, variables for the others. A value without a
      // literal form (a lone surrogate is a syntax error in GraphQL) is still a fair test.
      const inline = n % 3 === 0;
      const build = (): Buffer => {
        const args: Record<string, unknown> = {};
        for (const arg of operation.field.args) {
          if (arg.name === path[0]) args[arg.name] = place(arg.type, arg.name, path.slice(1), hostile.value);
          else if (isNonNullType(arg.type) && arg.defaultValue === undefined) args[arg.name] = good(arg.type, arg.name);
        }
        if (operation.kind === 'mutation' && poison(args, name, path) === 0 && !hostile.refused && hostile.value !== UPPER_UUID) {
          throw new Error(`${operation.coordinate} ${pathText(path)} ${hostile.label}: no poison applies; add one to POISONS`);
        }
        const sent = Object.keys(args);
        const query = inline
          ? `${operation.kind} { result: ${name}${sent.length ? `(${sent.map((a) => `${a}: ${literal(args[a], argTypes.get(a))}`).join(', ')})` : ''}${selectionOf(operation)} }`
          : `${operation.kind}${sent.length ? `(${sent.map((a) => `$${a}: ${String(argTypes.get(a))}`).join(', ')})` : ''} { result: ${name}${
              sent.length ? `(${sent.map((a) => `${a}: $${a}`).join(', ')})` : ''
            }${selectionOf(operation)} }`;
        return withBadUtf8(inline ? toJson({ query }) : toJson({ query, variables: args }));
      };
      const label = `${operation.coordinate} ${pathText(path)} = ${hostile.label}${inline ? ' (inline)' : ''}`;
      const common = { operation, target: pathText(path), body: build, mustRefuse: hostile.refused || operation.kind === 'mutation', mustName: hostile.refused };
      cases.push({ ...common, label, as: Role.ADMIN });
      // A sample as an anonymous caller too: a refusal of access must not hide a crash either.
      if (n % 12 === 0) cases.push({ ...common, label: `${label} [PUBLIC]`, as: Role.PUBLIC });
      n++;
    }
  }
  // Every operation, with or without arguments, given one it does not have.
  for (const operation of operationsOf(schema)) {
    const query = `${operation.kind} { result: ${operation.field.name}(nope: "'; DROP TABLE incident; --")${selectionOf(operation)} }`;
    cases.push({
      label: `${operation.coordinate} (nope: sql)`,
      operation,
      target: 'nope',
      body: () => Buffer.from(JSON.stringify({ query })),
      mustRefuse: true,
      mustName: true,
      as: Role.ADMIN,
    });
  }
  return { cases, targets };
}

interface ErrorBody {
  message?: unknown;
  path?: unknown;
  extensions?: { code?: unknown; problems?: { path: string; message: string }[] };
}

/** Refusals of the request as a whole, by graphql-js (which names the variable or shows the
 * location) or by the limits. */
const REQUEST_REFUSALS = ['GRAPHQL_VALIDATION_FAILED', 'QUERY_TOO_LARGE', 'REQUEST_TOO_LARGE', 'BAD_REQUEST', 'QUERY_TOO_COMPLEX', 'QUERY_TOO_DEEP'];

/** Whether an input problem at `path` is about `target` (itself, inside it, or around it). */
function concerns(path: string, target: string): boolean {
  const within = (a: string, b: string) => a === b || a.startsWith(`${b}.`) || a.startsWith(`${b}[`);
  return within(path, target) || within(target, path);
}

function describeErrors(errors: ErrorBody[]): string {
  return errors.map((e) => `${String(e.extensions?.code)} ${String(e.message).slice(0, 300)}`).join(' | ');
}

/** Errors that are not clear: no message, no code, or an internal error. */
function unclearErrors(errors: ErrorBody[]): string[] {
  const out: string[] = [];
  for (const e of errors) {
    if (typeof e.message !== 'string' || e.message.trim() === '') out.push('an error without a message');
    if (typeof e.extensions?.code !== 'string') out.push(`an error without a code: ${String(e.message).slice(0, 200)}`);
    if (e.extensions?.code === 'INTERNAL_SERVER_ERROR') out.push(`INTERNAL_SERVER_ERROR at ${JSON.stringify(e.path)}`);
  }
  return out;
}

/** What is wrong with the answer to `c`; nothing when it is a clear refusal or a proper answer. */
function complaintsAbout(c: GqlCase, reply: Reply): string[] {
  const out: string[] = [];
  if (reply.status >= 500) out.push(`status ${reply.status}`);
  const body = reply.json as { data?: Record<string, unknown> | null; errors?: ErrorBody[] } | undefined;
  if (!body || typeof body !== 'object') return [...out, `not JSON (status ${reply.status}): ${reply.body.toString('utf8').slice(0, 200)}`];
  const errors = body.errors ?? [];
  out.push(...unclearErrors(errors));
  if (reply.status >= 400 && errors.length === 0) out.push(`status ${reply.status} without errors`);
  if (!c.mustRefuse) return out;
  if (errors.length === 0 || (body.data?.result !== null && body.data?.result !== undefined)) return [...out, `accepted (status ${reply.status})`];
  if (!c.mustName) return out;
  const named = errors.some((e) => {
    const code = e.extensions?.code;
    if (typeof code === 'string' && REQUEST_REFUSALS.includes(code)) return true;
    // An anonymous caller may be refused the operation or a protected field before validation.
    if (code === 'FORBIDDEN') return c.as === Role.PUBLIC;
    return code === 'BAD_USER_INPUT' && (e.extensions?.problems ?? []).some((p) => concerns(p.path, c.target));
  });
  if (!named) out.push(`refused without naming ${c.target}: ${describeErrors(errors)}`);
  return out;
}

// --- Raw malformed requests ---------------------------------------------------------------------

interface RawCase {
  label: string;
  method: 'GET' | 'POST';
  path: string;
  headers?: Record<string, string>;
  body?: Buffer | string;
  /** Answered without a token (by default as an admin). */
  anonymous?: boolean;
  /** A fine request in disguise, which may be answered. */
  mayAnswer?: boolean;
  /** Larger than the server takes (body or URL). */
  overLimit?: boolean;
}

const JSON_TYPE = { 'content-type': 'application/json' };

function rawCases(bodyLimit: number): RawCase[] {
  const post = (label: string, body: Buffer | string, headers: Record<string, string> = JSON_TYPE): RawCase => ({ label, method: 'POST', path: '/graphql', headers, body });
  const q = (query: unknown, rest: Record<string, unknown> = {}) => JSON.stringify({ query, ...rest });
  const INCIDENT = 'query($id: ID!) { incident(id: $id) { id } }';
  return [
    post('invalid JSON', '{"query": "{ me { id } }", "vari'),
    post('JSON with a trailing comma', '{"query": "{ me { id } }",}'),
    post('a JSON string', '"{ me { id } }"'),
    post('a JSON number', '42'),
    post('JSON null', 'null'),
    post('JSON true', 'true'),
    post('an empty object', '{}'),
    post('an empty body', ''),
    post('whitespace only', '   \n\t '),
    post('a NUL byte in the JSON', Buffer.from('{"query": "{ me { id } }"\u0000}')),
    post('invalid UTF-8 bytes outside strings', Buffer.concat([Buffer.from('{"query": '), Buffer.from([0xff, 0xfe, 0xc3, 0x28]), Buffer.from('}')])),
    post('invalid UTF-8 bytes in the query', withBadUtf8(q('{ me { id zzBADUTF8zz } }'))),
    post('a UTF-16 body', Buffer.from(q('{ me { id } }'), 'utf16le'), { 'content-type': 'application/json; charset=utf-16' }),
    // Fine requests in disguise: a byte-order mark, unused variables, a form with the preflight header.
    { ...post('a UTF-8 BOM', Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(q('{ me { id } }'))])), mayAnswer: true },
    post('__proto__ in the body', '{"query": "{ me { id } }", "__proto__": {"polluted": true}}'),
    { ...post('constructor.prototype in the variables', '{"query": "{ me { id } }", "variables": {"constructor": {"prototype": {"polluted": true}}}}'), mayAnswer: true },
    { ...post('a 10,000-deep JSON array', `{"query": "{ me { id } }", "variables": {"x": ${'['.repeat(10_000)}${']'.repeat(10_000)}}}`), mayAnswer: true },
    post('an unterminated query', q('{ incidents { edges { node { id ')),
    post('an unterminated string', q('{ region(code: "RU) { code } }')),
    post('an empty query', q('')),
    post('a query of comments only', q('# nothing here\n# at all')),
    post('the query as a number', q(42)),
    post('the query as an object', q({ query: '{ me { id } }' })),
    post('the query as a list', q(['{ me { id } }'])),
    post('the query as null', q(null)),
    { ...post('the variables as a string', q(INCIDENT, { variables: `{"id": "${NOWHERE}"}` })), mayAnswer: true },
    post('the variables as garbage text', q(INCIDENT, { variables: "'; DROP TABLE incident; --" })),
    post('the variables as a number', q(INCIDENT, { variables: 42 })),
    post('the variables as a list', q(INCIDENT, { variables: [NOWHERE] })),
    post('an undeclared variable', q('{ incident(id: $id) { id } }', { variables: { id: NOWHERE } })),
    post('a missing variable', q(INCIDENT, { variables: {} })),
    post('the operation name as an object', q('query A { me { id } }', { operationName: { a: 1 } })),
    post('an unknown operation name', q('query A { me { id } } query B { me { id } }', { operationName: "'; DROP TABLE incident; --" })),
    post('two operations and no name', q('query A { me { id } } query B { me { id } }')),
    post('a fragment spread into itself', q('query { ...A } fragment A on Query { ...A }')),
    post('a fragment on an unknown type', q('query { ...A } fragment A on Nope { id }')),
    post('an unknown directive', q('{ me @nope { id } }')),
    post('a subscription', q('subscription { incidents { totalCount } }')),
    post('6,000 tokens', q(`{ ${'__typename '.repeat(6000)}}`)),
    post('a 1 MB field name', q(`{ ${'a'.repeat(1_000_000)} }`)),
    post('a 1 MB number', q(`{ incidents(first: ${'9'.repeat(1_000_000)}) { totalCount } }`)),
    { ...post('a body over the limit', q('{ me { id } }', { variables: { padding: 'x'.repeat(bodyLimit) } })), overLimit: true },
    post('a batch of garbage', JSON.stringify([1, 'x', null, {}, { query: 5 }, [], { query: '{' }])),
    post('an empty batch', '[]'),
    post('a batch of garbage queries', JSON.stringify(Array.from({ length: 5 }, (_, i) => ({ query: `{ ${'{'.repeat(i)} '; DROP TABLE incident; --` })))),
    post('a batch over the limit', JSON.stringify(Array.from({ length: 11 }, () => ({ query: '{ me { id } }' })))),
    post('a batch of nested batches', JSON.stringify([[{ query: '{ me { id } }' }]])),
    post('text/plain with the preflight header', q('{ me { id } }'), { 'content-type': 'text/plain', 'apollo-require-preflight': 'true' }),
    post('XML', '<query>{ me { id } }</query>', { 'content-type': 'application/xml' }),
    { ...post('a form', 'query=%7B+me+%7B+id+%7D+%7D', { 'content-type': 'application/x-www-form-urlencoded', 'apollo-require-preflight': 'true' }), mayAnswer: true },
    post('multipart garbage', '--x\r\nContent-Disposition: form-data; name="operations"\r\n\r\n{"query":\r\n--x--', {
      'content-type': 'multipart/form-data; boundary=x',
      'apollo-require-preflight': 'true',
    }),
    post('a made-up content type', q('{ me { id } }'), { 'content-type': "application/'; DROP TABLE incident; --" }),
    post('application/graphql garbage', '{ me { id ', { 'content-type': 'application/graphql' }),
    post('application/graphql with invalid UTF-8', withBadUtf8('{ me { id zzBADUTF8zz } }'), { 'content-type': 'application/graphql' }),
    post('a wrong content length', q('{ me { id } }'), { ...JSON_TYPE, 'content-length': '5' }),
    { label: 'GET with a malformed percent-encoding', method: 'GET', path: '/graphql?query=%ZZ%7B', headers: { 'apollo-require-preflight': 'true' } },
    { label: 'GET with invalid UTF-8', method: 'GET', path: '/graphql?query=%7B+me+%7B+id+%FF%FE+%7D+%7D', headers: { 'apollo-require-preflight': 'true' } },
    { label: 'GET with NUL', method: 'GET', path: '/graphql?query=%7B+me%00+%7B+id+%7D+%7D', headers: { 'apollo-require-preflight': 'true' } },
    {
      label: 'GET with variables that are not JSON',
      method: 'GET',
      path: `/graphql?query=${encodeURIComponent(INCIDENT)}&variables=%27%3B+DROP+TABLE`,
      headers: { 'apollo-require-preflight': 'true' },
    },
    { label: 'GET with the query twice', method: 'GET', path: '/graphql?query=%7B+me+%7B+id+%7D+%7D&query=%7B', headers: { 'apollo-require-preflight': 'true' } },
    { label: 'GET of a mutation', method: 'GET', path: `/graphql?query=${encodeURIComponent(`mutation { revokeApiToken(id: "${NOWHERE}") { id } }`)}`, headers: { 'apollo-require-preflight': 'true' } },
    { label: 'GET with no query', method: 'GET', path: '/graphql', headers: { 'apollo-require-preflight': 'true' } },
    { label: 'GET with a 10 kB query', method: 'GET', path: `/graphql?query=${'%7B'.repeat(3000)}`, headers: { 'apollo-require-preflight': 'true' } },
    { label: 'GET with a URL over the header limit', method: 'GET', path: `/graphql?query=${'a'.repeat(100_000)}`, headers: { 'apollo-require-preflight': 'true' }, overLimit: true },
    { ...post('a garbage bearer token', q('{ me { id } }'), { ...JSON_TYPE, authorization: "Bearer '; DROP TABLE api_token; --" }), anonymous: true },
    { ...post('a 10 kB bearer token', q('{ me { id } }'), { ...JSON_TYPE, authorization: `Bearer ${'x'.repeat(10_000)}` }), anonymous: true },
    { ...post('a bearer token with invalid UTF-8', q('{ me { id } }'), { ...JSON_TYPE, authorization: 'Bearer \u00ff\u00fe' }), anonymous: true },
    { ...post('basic authentication', q('{ me { id } }'), { ...JSON_TYPE, authorization: 'Basic YWRtaW46YWRtaW4=' }), anonymous: true },
    { ...post('an empty authorization', q('{ me { id } }'), { ...JSON_TYPE, authorization: '' }), anonymous: true },
  ];
}

// --- Export cases -------------------------------------------------------------------------------

interface ExportCase {
  label: string;
  /** Path and query string, percent-encoded as sent. */
  url: string;
  parameter: string;
  mustRefuse: boolean;
  as: Role.ADMIN | Role.PUBLIC;
  /** The route's content type. */
  contentType: string;
}

/** The type of an export parameter (`victims.min`: the filter's field, then the nested one). */
function parameterType(spec: ParameterSpec, name: string): { type: GraphQLInputType; parent: GraphQLInputObjectType | null } {
  if (Object.prototype.hasOwnProperty.call(spec.options, name)) return { type: spec.options[name], parent: null };
  let parent: GraphQLInputObjectType = spec.filter;
  const parts = name.split('.');
  for (const part of parts.slice(0, -1)) parent = getNamedType(parent.getFields()[part].type) as GraphQLInputObjectType;
  return { type: parent.getFields()[parts.at(-1)!].type, parent: parts.length > 1 ? parent : null };
}

const enc = encodeURIComponent;

/** Hostile query-string values (percent-encoded) for a parameter of `type`; `refused` when no
 * parameter of that type can take it. */
function exportValues(type: GraphQLInputType, valid: string): { label: string; raw: string[]; refused: boolean; always?: boolean }[] {
  const inner = isNonNullType(type) ? type.ofType : type;
  const list = isListType(inner);
  const named = getNamedType(type);
  const kind = isEnumType(named) ? 'enum' : named.name;
  const text = kind === 'String' || kind === 'ID';
  const number = kind === 'Int' || kind === 'Float';
  const one = (label: string, raw: string, refused: boolean, always = false) => ({ label, raw: [raw], refused, always });
  return [
    one('NUL', enc('a\u0000b'), true, true),
    one('invalid UTF-8', '%FF%FE%C3%28%ED%A0%80', !text),
    one('a malformed percent-encoding', '%ZZ%', !text),
    ...SQL.map((s, i) => one(`sql#${i}`, enc(s), kind !== 'String', i === 0)),
    one('empty', '', kind !== 'String'),
    one('8,000 chars', 'x'.repeat(8000), true, true),
    one('a URL over the header limit', 'x'.repeat(100_000), true),
    one('1e308', '1e308', kind !== 'String'),
    one('1e999', '1e999', kind !== 'String'),
    one('-1', '-1', kind !== 'String' && kind !== 'Float'),
    one('-0', '-0', !text && !number),
    one('2^53+1', '9007199254740993', kind !== 'String'),
    one('NaN', 'NaN', kind !== 'String'),
    one('Infinity', 'Infinity', kind !== 'String'),
    one('hex', '0x10', kind !== 'String'),
    one('fraction', '1.5', kind !== 'String' && kind !== 'Float'),
    one('lower-case', enc(valid.toLowerCase()), !text && valid.toLowerCase() !== valid),
    one('not a date', 'not-a-date', kind !== 'String', true),
    one('a day that does not exist', '2019-02-29T00:00:00Z', kind !== 'String', kind === 'DateTime'),
    one('a JavaScript date PostgreSQL cannot hold', enc('-271821-04-20T00:00:00.000Z'), kind !== 'String', kind === 'DateTime'),
    one('a lone surrogate', '%ED%A0%80', !text),
    { label: 'given twice', raw: [enc(valid), enc(valid)], refused: !list, always: true },
    ...(list
      ? [
          one('1,000 items', Array.from({ length: 1000 }, () => enc(valid)).join(','), true, true),
          one('an empty item', `${enc(valid)},,${enc(valid)}`, true),
        ]
      : [one('a comma list', `${enc(valid)},${enc(valid)}`, kind !== 'String')]),
  ];
}

/** A valid query-string value of `type`. */
function validParameter(type: GraphQLInputType, name: string): string {
  const named = getNamedType(type);
  if (isEnumType(named)) return named.getValues()[0].name;
  const leaf = name.split('.').at(-1)!;
  if (leaf === 'regions') return 'RU';
  if (['dateFrom', 'dateTo'].includes(leaf)) return '2017-01-01';
  switch (named.name) {
    case 'Int':
    case 'Float':
      return '1';
    case 'Boolean':
      return 'true';
    case 'DateTime':
      return '2020-01-01T00:00:00Z';
    case 'ID':
      return NOWHERE;
    default:
      return 'xy';
  }
}

function exportCases(schema: GraphQLSchema): { cases: ExportCase[]; parameters: string[] } {
  const cases: ExportCase[] = [];
  const parameters: string[] = [];
  let n = 0;
  /** Parameters already given every kind of value: the filter's type and the parameter. Routes
   * with the same filter read and validate it alike, so the later ones get a sample. */
  const judged = new Set<string>();
  for (const route of Object.values(EXPORT_ROUTES)) {
    const spec = parameterSpec(schema, route);
    const path = `/exports/${route.file}`;
    for (const [index, name] of parameterNames(spec).entries()) {
      parameters.push(`${route.file} ${name}`);
      const { type, parent } = parameterType(spec, name);
      const key = `${name in spec.options ? route.file : spec.filter.name} ${name}`;
      const every = judged.has(key) ? 8 : 3;
      judged.add(key);
      // The required siblings of a nested parameter (a box needs its four sides), valid.
      const siblings = Object.values(parent?.getFields() ?? {})
        .filter((f) => isNonNullType(f.type) && !name.endsWith(`.${f.name}`))
        .map((f) => `${enc(name.replace(/[^.]+$/, f.name))}=${f.name === 'east' || f.name === 'north' ? '10' : '0'}`);
      const values = exportValues(type, validParameter(type, name)).filter((v, i) => v.always || (i + index) % every === 0);
      for (const value of values) {
        const query = [...value.raw.map((raw) => `${enc(name)}=${raw}`), ...siblings].join('&');
        const label = `${path} ${name} = ${value.label}`;
        cases.push({ label, url: `${path}?${query}`, parameter: name, mustRefuse: value.refused, as: Role.ADMIN, contentType: route.contentType });
        if (n++ % 8 === 0) cases.push({ label: `${label} [PUBLIC]`, url: `${path}?${query}`, parameter: name, mustRefuse: value.refused, as: Role.PUBLIC, contentType: route.contentType });
      }
      if (every === 3) for (const [label, raw] of [
        ['as a list', `${enc(`${name}[]`)}=x`],
        ['with a made-up nested field', `${enc(`${name}.nope`)}=1`],
        ['in upper case', `${enc(name.toUpperCase())}=x`],
      ]) {
        cases.push({ label: `${path} ${name} ${label}`, url: `${path}?${raw}`, parameter: raw.split('=')[0], mustRefuse: true, as: Role.ADMIN, contentType: route.contentType });
      }
    }
    for (const name of ['__proto__', '__proto__.polluted', 'constructor', 'constructor.prototype', 'prototype', 'hasOwnProperty', 'toString', 'filter', 'a'.repeat(5000), '%00', '%FF']) {
      const parameter = name.startsWith('%') ? name : enc(name);
      cases.push({ label: `${path} unknown parameter ${name.slice(0, 40)}`, url: `${path}?${parameter}=1`, parameter: name, mustRefuse: true, as: Role.ADMIN, contentType: route.contentType });
    }
    cases.push({ label: `${path} a bare ?`, url: `${path}?`, parameter: '', mustRefuse: false, as: Role.ADMIN, contentType: route.contentType });
    cases.push({ label: `${path} only separators`, url: `${path}?&&&=&=`, parameter: '', mustRefuse: false, as: Role.ADMIN, contentType: route.contentType });
  }
  return { cases, parameters };
}

function exportComplaints(c: ExportCase, reply: Reply): string[] {
  const out: string[] = [];
  if (reply.status >= 500) return [`status ${reply.status}: ${reply.body.toString('utf8').slice(0, 300)}`];
  if (reply.status === 200) {
    if (c.mustRefuse) return ['accepted (200)'];
    // A proper answer: the route's file, whole.
    const type = String(reply.headers['content-type']);
    if (!type.startsWith(c.contentType.split(';')[0])) return [`200 as ${type}`];
    if (type.includes('json') && reply.json === undefined) return ['200 with a body that is not JSON'];
    return [];
  }
  if ((reply.status === 414 || reply.status === 431) && c.url.length > 16_000) return []; // longer than Node takes
  const body = reply.json as { message?: unknown; problems?: { parameter: string; message: string }[]; parameter?: string } | undefined;
  if (!body || typeof body.message !== 'string' || body.message === '') out.push(`status ${reply.status} without a message`);
  if (reply.status === 400) {
    const named = (body?.problems ?? []).some((p) => concerns(p.parameter, c.parameter) || concerns(p.parameter, decodeURIComponentSafe(c.parameter)));
    if (c.parameter && !named) out.push(`400 without naming ${c.parameter}: ${reply.body.toString('utf8').slice(0, 300)}`);
  } else if (!((reply.status === 401 || reply.status === 403) && c.as === Role.PUBLIC)) {
    out.push(`status ${reply.status}: ${reply.body.toString('utf8').slice(0, 300)}`);
  }
  return out;
}

function decodeURIComponentSafe(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

// --- The database, before and after -------------------------------------------------------------

/** Columns that change by design while requests are answered: a token's last use (stamped at most
 * once a minute, by authentication, whatever the request). */
const VOLATILE_COLUMNS: Record<string, string[]> = { api_token: ['last_used_at'] };

/**
 * Rows a table may legitimately gain, compared apart. The audit log: a refused write logs nothing
 * (its revision and audit entry are written in the write's own transaction, which the refusal rolls
 * back, and validation refuses before any transaction): every write entry is compared. Except READ
 * and EXPORT entries: an odd but valid request as an admin (a search for SQL text, a protected
 * filter, a page holding records above PUBLIC) is a real read, logged as such (docs/access.md);
 * those are counted, and must not outnumber the requests answered.
 */
const APART: Record<string, string> = { audit_event: `action IN ('READ', 'EXPORT')` };

type Snapshot = Record<string, { rows: number; md5: string }>;

/** Per table, its row count and a checksum of every row (the rows of APART under a name of their
 * own, counted only). */
async function snapshot(t: TestApp): Promise<Snapshot> {
  const tables: { name: string }[] = await t.dataSource.query(
    `SELECT table_name AS name FROM information_schema.tables WHERE table_schema = 'public' AND table_type = 'BASE TABLE' ORDER BY table_name`,
  );
  const result: Snapshot = {};
  for (const { name } of tables) {
    const row = `(to_jsonb(t) - $1::text[])::text`;
    const where = APART[name] ? `WHERE NOT (${APART[name]})` : '';
    const [{ rows, md5 }] = await t.dataSource.query(
      `SELECT count(*)::int AS rows, md5(coalesce(string_agg(${row}, E'\\n' ORDER BY ${row}), '')) AS md5 FROM "${name}" t ${where}`,
      [VOLATILE_COLUMNS[name] ?? []],
    );
    result[name] = { rows, md5 };
    if (APART[name]) {
      const [apart] = await t.dataSource.query(`SELECT count(*)::int AS rows FROM "${name}" t WHERE ${APART[name]}`);
      result[`${name} where ${APART[name]}`] = { rows: apart.rows, md5: 'counted only' };
    }
  }
  return result;
}

// --- The tests ----------------------------------------------------------------------------------

describe('bad input to every argument, request and export parameter', () => {
  let t: TestApp;
  let base: URL;
  let schema: GraphQLSchema;
  let before: Snapshot;
  const tokens = new Map<Role, string>();
  /** Requests answered to an admin: each may add one READ or EXPORT entry to the audit log. */
  let adminExports = 0;
  let adminReads = 0;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
  const headersFor = (as: Role): Record<string, string> => (tokens.has(as) ? { authorization: `Bearer ${tokens.get(as)}` } : {});

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    base = new URL(await t.app.getUrl());
    tokens.set(Role.ADMIN, await t.tokenFor(Role.ADMIN));
    // The token's first use stamps it; before the snapshot.
    await send(base, 'POST', '/graphql', { headers: { ...JSON_TYPE, ...headersFor(Role.ADMIN) }, body: JSON.stringify({ query: '{ me { id } }' }) }, agent);
    schema = t.app.get(GraphQLSchemaHost).schema;
    before = await snapshot(t);
  });
  afterAll(async () => {
    agent.destroy();
    await t.close();
  });

  it('has cases for every argument and nested input field of every query and mutation', () => {
    const { cases, targets } = gqlCases(schema);
    const operations = operationsOf(schema);
    expect(operations.length).toBeGreaterThan(40);
    // Every operation is sent, and every write has its poisons (a new mutation needs its own).
    const sent = new Set(cases.map((c) => c.operation.coordinate));
    expect(operations.map((o) => o.coordinate).filter((o) => !sent.has(o))).toEqual([]);
    expect(operations.filter((o) => o.kind === 'mutation' && !POISONS[o.field.name]).map((o) => o.coordinate)).toEqual([]);
    // Every argument, and every field of an input inside one, gets several hostile values as an admin.
    const perTarget = new Map<string, number>();
    for (const c of cases) if (c.as === Role.ADMIN) perTarget.set(`${c.operation.coordinate} ${c.target}`, (perTarget.get(`${c.operation.coordinate} ${c.target}`) ?? 0) + 1);
    expect(targets.map((x) => `${x.operation.coordinate} ${pathText(x.path)}`).filter((k) => (perTarget.get(k) ?? 0) < 2)).toEqual([]);
    const args = operations.flatMap((o) => o.field.args.map((a) => `${o.coordinate}(${a.name})`));
    const covered = new Set(targets.map((x) => `${x.operation.coordinate}(${x.path[0]})`));
    expect(args.filter((a) => !covered.has(a))).toEqual([]);
    expect(args.length).toBeGreaterThan(70);
    expect(targets.length).toBeGreaterThan(600);
    expect(cases.length).toBeGreaterThan(4000);
    // Each kind of hostile value is sent, inline and in variables, as an admin and anonymously.
    for (const kind of ['NUL', '1 MB', 'invalid UTF-8 bytes', 'lone surrogates', 'sql#0', 'sql#1', '2^53+1', '1e308', 'NaN', '-1', 'very long', 'number', 'object']) {
      expect({ kind, sent: cases.some((c) => c.label.includes(` = ${kind}`)) }).toEqual({ kind, sent: true });
    }
    expect(cases.filter((c) => c.label.includes('(inline)')).length).toBeGreaterThan(1000);
    expect(cases.filter((c) => c.as === Role.PUBLIC).length).toBeGreaterThan(300);
  });

  it('answers every hostile GraphQL value with a refusal naming it, or a proper answer: never a 500', async () => {
    const { cases } = gqlCases(schema);
    const complaints = (
      await pool(cases, 6, async (c) => {
        let reply: Reply;
        try {
          reply = await send(base, 'POST', '/graphql', { headers: { ...JSON_TYPE, ...headersFor(c.as) }, body: c.body() }, agent);
        } catch (error) {
          return [`${c.label}: no answer (${(error as Error).message})`];
        }
        if (c.as === Role.ADMIN && reply.status === 200) adminReads++;
        return complaintsAbout(c, reply).map((complaint) => `${c.label}: ${complaint}`);
      })
    ).flat();
    expect(complaints.slice(0, 40)).toEqual([]);
    // Thousands of requests: 130 s on a machine shared with other work, 230 s when the other
    // worker of the suite is busy too. A limit, not a measure of speed (that is the benchmark's).
  }, 360_000);

  it('refuses malformed requests with a 4xx and a message', async () => {
    const cases = rawCases(DEFAULT_SECURITY_OPTIONS.bodyLimit);
    const complaints = (
      await pool(cases, 4, async (c) => {
        let reply: Reply;
        try {
          reply = await send(base, c.method, c.path, { headers: { ...(c.anonymous ? {} : headersFor(Role.ADMIN)), ...c.headers }, body: c.body });
        } catch (error) {
          // Past a limit (the body's, or Node's on the URL) the server answers and closes at once:
          // the client may see the connection reset before it reads the answer.
          if (c.overLimit && /ECONNRESET|EPIPE/.test((error as Error).message)) return [];
          return [`${c.label}: no answer (${(error as Error).message})`];
        }
        const out: string[] = [];
        const text = reply.body.toString('utf8').slice(0, 300);
        if (reply.status >= 500) return [`${c.label}: status ${reply.status}: ${text}`];
        // A batch answers each of its operations; a refused request answers errors or a message.
        const answers: { data?: unknown; errors?: ErrorBody[]; message?: unknown }[] = Array.isArray(reply.json) ? reply.json : [reply.json ?? {}];
        for (const answer of answers) out.push(...unclearErrors(answer.errors ?? []));
        if (reply.status >= 400 && reply.status !== 414 && reply.status !== 431 && !answers.every((a) => a.errors?.length || typeof a.message === 'string')) {
          out.push(`status ${reply.status} without an error or message: ${text}`);
        }
        const refused = reply.status >= 400 || (answers.length > 0 && answers.every((a) => a.errors?.length && !a.data));
        if (!refused && !c.mayAnswer) out.push(`answered ${reply.status}: ${text}`);
        return out.map((complaint) => `${c.label}: ${complaint}`);
      })
    ).flat();
    expect(complaints).toEqual([]);
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
  });

  it('refuses hostile export parameters with a 4xx naming the parameter: never a 500', async () => {
    const { cases, parameters } = exportCases(schema);
    expect(parameters.length).toBeGreaterThan(100);
    expect(cases.length).toBeGreaterThan(1200);
    // Every parameter of every route gets several hostile values.
    expect(parameters.filter((p) => cases.filter((c) => c.label.startsWith(`/exports/${p} = `)).length < 5)).toEqual([]);
    // Below the exports' own concurrency limit (4), which answers 503 to ask for patience.
    const complaints = (
      await pool(cases, 3, async (c) => {
        const long = c.url.length > 16_000; // over Node's header limit: 431, and the connection closed
        let reply: Reply;
        try {
          reply = await send(base, 'GET', c.url, { headers: headersFor(c.as) }, long ? false : agent);
        } catch (error) {
          // Node answers 431 and closes at once: the client may see the reset before the answer.
          return long && /ECONNRESET|EPIPE/.test((error as Error).message) ? [] : [`${c.label}: no answer (${(error as Error).message})`];
        }
        if (reply.status === 200 && c.as === Role.ADMIN) adminExports++;
        return exportComplaints(c, reply).map((complaint) => `${c.label}: ${complaint}`);
      })
    ).flat();
    expect(complaints.slice(0, 40)).toEqual([]);
  });

  it('leaves the database as it was: the same rows in every table', async () => {
    const after = await snapshot(t);
    expect(Object.keys(before).length).toBeGreaterThan(10);
    const exports = `audit_event where ${APART.audit_event}`;
    expect(after[exports].rows - before[exports].rows).toBeLessThanOrEqual(adminExports + adminReads);
    expect({ ...after, [exports]: null }).toEqual({ ...before, [exports]: null });
  });
});
