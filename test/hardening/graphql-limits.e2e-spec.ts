/** Hostile GraphQL: every limit refuses with its own code, the limit and the measured value, and a
 * 4xx; requests just under a limit run. The defaults are the service's (src/security). */
import { getIntrospectionQuery, parse } from 'graphql';
import { Role } from '../../src/access/role';
import { shapeOf } from '../../src/security/document-shape';
import { DEFAULT_SECURITY_OPTIONS as LIMITS, Exposure } from '../../src/security/security-options';
import { startTestApp, TestApp } from '../support/test-app';

/** `levels` fields deep: incidents > edges > node > situation > incidents > situation ... > id. */
function deepQuery(levels: number): string {
  let inner = 'id';
  for (let depth = levels - 1; depth > 3; depth--) inner = `${depth % 2 === 0 ? 'situation' : 'incidents'} { ${inner} }`;
  return `{ incidents(first: 1) { edges { node { ${inner} } } } }`;
}

/** A page of incidents, each with its citations' sources' citations' incidents' situations'
 * incidents: per incident 1 + 10 x (1 + 1 + 10 x (1 + 1 + 1 + 10)) = 1,321 (a list without
 * `first` counts 10 items), 10 levels deep. */
const NESTED = `query($first: Int!) { incidents(first: $first) { edges { node {
  citations { source { citations { incident { situation { incidents { id } } } } } }
} } } }`;
const PER_INCIDENT = 1 + 10 * (1 + 1 + 10 * (1 + 1 + 1 + 10));
const nestedCost = (first: number) => 1 + first * PER_INCIDENT;

describe('GraphQL limits', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(() => t.close());

  const refusal = (body: { errors?: { message: string; extensions?: Record<string, unknown> }[] }) => body.errors?.[0];

  describe('depth', () => {
    it(`runs a query ${LIMITS.maxDepth} levels deep and refuses one level more`, async () => {
      expect(shapeOf(parse(deepQuery(LIMITS.maxDepth))).depth).toBe(LIMITS.maxDepth);
      const ok = await t.gql(deepQuery(LIMITS.maxDepth));
      expect(ok.body.errors).toBeUndefined();

      const { status, body } = await t.gql(deepQuery(LIMITS.maxDepth + 1));
      expect(status).toBe(400);
      expect(body.data).toBeNull();
      expect(refusal(body)).toEqual({
        message: `The query is ${LIMITS.maxDepth + 1} levels deep; the limit is ${LIMITS.maxDepth}`,
        extensions: { code: 'QUERY_TOO_DEEP', limit: LIMITS.maxDepth, measured: LIMITS.maxDepth + 1 },
      });
    });

    it('follows fragments and inline fragments', async () => {
      const query = `{ incidents { edges { node { ...A } } } }
        fragment A on Incident { situation { ... on Situation { incidents { ...B } } } }
        fragment B on Incident { situation { incidents { situation { incidents { situation { id } } } } } }`;
      expect(shapeOf(parse(query)).depth).toBe(11);
      const { status, body } = await t.gql(query);
      expect(status).toBe(400);
      expect(refusal(body)?.extensions).toMatchObject({ code: 'QUERY_TOO_DEEP', measured: 11 });
    });

    it('measures a document of fragments spread into each other in linear time', () => {
      const fragments = Array.from({ length: 200 }, (_, i) => `fragment F${i} on Incident { a: id b: id ${i < 199 ? `...F${i + 1} ...F${i + 1}` : ''} }`);
      const started = Date.now();
      const shape = shapeOf(parse(`{ incident(id: "x") { ...F0 } } ${fragments.join(' ')}`));
      expect(Date.now() - started).toBeLessThan(500);
      expect(shape.depth).toBe(2);
    });
  });

  describe('cost', () => {
    it('multiplies what is under a connection by `first`, also when `first` is a variable', async () => {
      const allowed = Math.floor(LIMITS.maxCost / nestedCost(1));
      expect(nestedCost(allowed)).toBeLessThanOrEqual(LIMITS.maxCost);
      const ok = await t.gql(NESTED, { first: allowed });
      expect(ok.body.errors).toBeUndefined();

      const { status, body } = await t.gql(NESTED, { first: allowed + 1 });
      expect(status).toBe(400);
      expect(body.data).toBeNull();
      expect(refusal(body)?.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: LIMITS.maxCost, measured: nestedCost(allowed + 1) });
      expect(refusal(body)?.message).toBe(
        `The query's estimated cost is ${nestedCost(allowed + 1)}; the limit is ${LIMITS.maxCost}. Ask for smaller pages (\`first\`) or fewer nested lists`,
      );
    });

    it('counts a connection without `first` at its default page size (20)', async () => {
      const page = NESTED.slice(NESTED.indexOf('{ edges'), NESTED.lastIndexOf('}'));
      expect((await t.gql(`{ incidents ${page} }`)).body.errors).toBeUndefined();
      const { body } = await t.gql(`{ a: incidents ${page} b: incidents ${page} }`);
      expect(refusal(body)?.extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: LIMITS.maxCost, measured: 2 * nestedCost(20) });
    });

    it('refuses a fragment bomb without walking it all', async () => {
      // 2^30 fields once expanded, 2 levels deep, no alias.
      const fragments = Array.from({ length: 30 }, (_, i) => `fragment F${i} on Incident { id ${i < 29 ? `...F${i + 1} ...F${i + 1}` : ''} }`);
      const { status, body } = await t.gql(`{ incident(id: "00000000-0000-0000-0000-000000000000") { ...F0 } } ${fragments.join(' ')}`);
      expect(status).toBe(400);
      expect(refusal(body)?.extensions).toMatchObject({ code: 'QUERY_TOO_COMPLEX', limit: LIMITS.maxCost });
    });

    it('sums the operations of a batch', async () => {
      const half = Math.floor(LIMITS.maxCost / nestedCost(1) / 2) + 1; // two of them exceed the limit
      const batch = [{ query: NESTED, variables: { first: half } }, { query: NESTED, variables: { first: half } }];
      const res = await t.http().post('/graphql').send(batch);
      expect(res.body[0].errors).toBeUndefined();
      expect(res.body[1].data).toBeNull();
      expect(res.body[1].errors[0].extensions).toEqual({ code: 'QUERY_TOO_COMPLEX', limit: LIMITS.maxCost, measured: 2 * nestedCost(half) });
      expect(res.body[1].errors[0].message).toMatch(/^The request's estimated cost is/);
    });

    it("lets GraphiQL's introspection query through; introspection that fans out is refused", async () => {
      const standard = await t.gql(getIntrospectionQuery({ inputValueDeprecation: true, schemaDescription: true, specifiedByUrl: true }));
      expect(standard.body.errors).toBeUndefined();
      expect(standard.body.data!.__schema.types.length).toBeGreaterThan(50);
      const fanOut = await t.gql('{ __schema { types { fields { type { fields { type { fields { type { fields { name } } } } } } } } } }');
      // By graphql-js's own MaxIntrospectionDepthRule, before the cost is estimated.
      expect(fanOut.status).toBe(400);
      expect(refusal(fanOut.body)?.message).toBe('Maximum introspection depth exceeded');
    });
  });

  describe('aliases', () => {
    const aliased = (n: number) => `{ ${Array.from({ length: n }, (_, i) => `a${i}: me { id }`).join(' ')} }`;

    it(`runs ${LIMITS.maxAliases} aliases and refuses more`, async () => {
      expect((await t.gql(aliased(LIMITS.maxAliases))).body.errors).toBeUndefined();
      const { status, body } = await t.gql(aliased(LIMITS.maxAliases + 5));
      expect(status).toBe(400);
      expect(refusal(body)).toEqual({
        message: `The query uses ${LIMITS.maxAliases + 5} aliases; the limit is ${LIMITS.maxAliases}`,
        extensions: { code: 'TOO_MANY_ALIASES', limit: LIMITS.maxAliases, measured: LIMITS.maxAliases + 5 },
      });
    });

    it('sums the operations of a batch', async () => {
      const half = Math.floor(LIMITS.maxAliases / 2) + 1;
      const res = await t.http().post('/graphql').send([{ query: aliased(half) }, { query: aliased(half) }]);
      expect(res.body[0].errors).toBeUndefined();
      expect(res.body[1].errors[0].extensions).toEqual({ code: 'TOO_MANY_ALIASES', limit: LIMITS.maxAliases, measured: 2 * half });
    });
  });

  describe('batches', () => {
    it(`runs up to ${LIMITS.maxBatch} operations in one request and refuses more`, async () => {
      const ok = await t.http().post('/graphql').send(Array.from({ length: LIMITS.maxBatch }, () => ({ query: '{ me { id } }' })));
      expect(ok.status).toBe(200);
      expect(ok.body).toHaveLength(LIMITS.maxBatch);

      const res = await t.http().post('/graphql').send(Array.from({ length: LIMITS.maxBatch + 1 }, () => ({ query: '{ me { id } }' })));
      expect(res.status).toBe(400);
      expect(res.body).toEqual({
        data: null,
        errors: [
          {
            message: `The request holds ${LIMITS.maxBatch + 1} operations; the limit is ${LIMITS.maxBatch}`,
            extensions: { code: 'TOO_MANY_OPERATIONS', limit: LIMITS.maxBatch, measured: LIMITS.maxBatch + 1 },
          },
        ],
      });
    });
  });

  describe('size', () => {
    it(`refuses a query of more than ${LIMITS.maxTokens} tokens before parsing it all`, async () => {
      const { status, body } = await t.gql(`{ ${Array.from({ length: LIMITS.maxTokens }, () => '__typename').join(' ')} }`);
      expect(status).toBe(400);
      expect(refusal(body)?.extensions).toEqual({ code: 'QUERY_TOO_LARGE', limit: LIMITS.maxTokens });
    });

    it(`refuses a body over ${LIMITS.bodyLimit} bytes with 413, and malformed JSON with 400`, async () => {
      const big = await t
        .http()
        .post('/graphql')
        .set('content-type', 'application/json')
        .send(JSON.stringify({ query: '{ me { id } }', variables: { padding: 'x'.repeat(LIMITS.bodyLimit) } }));
      expect(big.status).toBe(413);
      expect(big.body.errors[0].extensions).toMatchObject({ code: 'REQUEST_TOO_LARGE', limit: LIMITS.bodyLimit });
      expect(big.body.errors[0].extensions.measured).toBeGreaterThan(LIMITS.bodyLimit);

      const broken = await t.http().post('/graphql').set('content-type', 'application/json').send('{"query": "{ me { id } }", "secret-7c1f');
      expect(broken.status).toBe(400);
      expect(broken.body.errors).toEqual([{ message: 'The request body is not valid JSON', extensions: { code: 'BAD_REQUEST' } }]);
    });
  });

  it('keeps suggestions and introspection for everyone outside production (GraphiQL works without a token)', async () => {
    const typo = await t.gql('{ incidents { totalCont } }');
    expect(typo.body.errors![0].message).toMatch(/Did you mean "totalCount"\?/);
    expect((await t.gql('{ __schema { queryType { name } } }')).body.errors).toBeUndefined();
  });
});

describe('introspection and suggestions in production (GRAPHQL_INTROSPECTION / GRAPHQL_SUGGESTIONS = researchers)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ security: { introspection: Exposure.RESEARCHERS, suggestions: Exposure.RESEARCHERS } });
  });
  afterAll(() => t.close());

  it('refuses introspection to anonymous callers, also in fragments; __typename stays', async () => {
    for (const query of [
      '{ __schema { types { name } } }',
      '{ __type(name: "Incident") { fields { name } } }',
      '{ incidents { totalCount } ...F } fragment F on Query { ... on Query { __type(name: "Person") { name } } }',
    ]) {
      const { status, body } = await t.gql(query);
      expect({ query, status, code: body.errors?.[0].extensions?.code, data: body.data }).toEqual({
        query,
        status: 400,
        code: 'INTROSPECTION_DISABLED',
        data: null,
      });
    }
    expect((await t.gql('{ incidents { __typename totalCount } }')).body.errors).toBeUndefined();
  });

  it('answers introspection to researchers and above', async () => {
    for (const role of [Role.RESEARCHER, Role.EDITOR, Role.ADMIN]) {
      const { body } = await t.gql(getIntrospectionQuery(), {}, role);
      expect({ role, errors: body.errors }).toEqual({ role, errors: undefined });
    }
  });

  it('drops "Did you mean ...?" for anonymous callers only', async () => {
    const anonymous = await t.gql('{ incidents { totalCont } }');
    expect(anonymous.status).toBe(200); // a validation failure under application/json (GraphQL over HTTP)
    expect(anonymous.body.errors![0].message).toBe('Cannot query field "totalCont" on type "IncidentConnection".');
    const researcher = await t.gql('{ incidents { totalCont } }', {}, Role.RESEARCHER);
    expect(researcher.body.errors![0].message).toMatch(/Did you mean "totalCount"\?$/);
  });
});

describe('batching turned off (GRAPHQL_MAX_BATCH=1)', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ security: { maxBatch: 1 } });
  });
  afterAll(() => t.close());

  it('refuses any JSON array, and runs single operations', async () => {
    const res = await t.http().post('/graphql').send([{ query: '{ me { id } }' }]);
    expect(res.status).toBe(400);
    expect(res.body.errors[0]).toEqual({
      message: 'Batched requests are not accepted here: send one operation per request',
      extensions: { code: 'TOO_MANY_OPERATIONS', limit: 1, measured: 1 },
    });
    expect((await t.gql('{ me { id } }')).body).toEqual({ data: { me: null } });
  });
});
