/** The number of SQL statements for a list request does not grow with the page size or with the
 * nesting depth of the selection: relations are batched per request (DataLoader). */
import { PostgresQueryRunner } from 'typeorm/driver/postgres/PostgresQueryRunner';
import { Role } from '../src/access/role';
import { Loaders } from '../src/common/loaders';
import { VigilValidationPipe } from '../src/common/validation.pipe';
import { Citation } from '../src/sources/citation.entity';
import { ResponseIncident } from '../src/responses/response-links.entity';
import { startTestApp, TestApp } from './support/test-app';

const NESTED = `query($first: Int!) { incidents(first: $first) { totalCount edges { node {
  id headline region { name country { name } } situation { name incidents { id } }
  citations { excerpt source { publisher citations { id } } }
  independentSourceCount
  involvements { role person { pseudonym fullName } }
  responses { title organizers { role organization { name } } incidents { id headline } situations { name } }
} } } }`;

describe('SQL statements per request', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
    // 60 more incidents, each cited, answered by a response and with a person involved.
    await t.dataSource.query(`
      WITH src AS (SELECT id FROM source ORDER BY id LIMIT 1),
           sit AS (SELECT id FROM situation LIMIT 1),
           new AS (
             INSERT INTO incident (kind, headline, date_start, date_precision, region_code, situation_id)
             SELECT 'DETENTION', 'Detention ' || n, date '2020-01-01' + n, 'DAY', 'RU-CE', (SELECT id FROM sit)
               FROM generate_series(1, 60) n RETURNING id),
           c AS (INSERT INTO citation (source_id, incident_id, excerpt) SELECT (SELECT id FROM src), id, 'excerpt' FROM new),
           p AS (INSERT INTO person (pseudonym) SELECT 'Person ' || n FROM generate_series(1, 60) n RETURNING id),
           inv AS (INSERT INTO involvement (incident_id, person_id, role)
                   SELECT a.id, b.id, 'VICTIM' FROM (SELECT id, row_number() OVER () r FROM new) a JOIN (SELECT id, row_number() OVER () r FROM p) b USING (r))
      INSERT INTO response_incident (response_id, incident_id)
      SELECT (SELECT id FROM advocacy_response ORDER BY id LIMIT 1), id FROM new`);
  });
  afterAll(() => t.close());
  // The account is made, and its token's last use recorded, outside the measured requests.
  beforeAll(() => t.gql('{ me { id } }', {}, Role.EDITOR));

  async function statementsFor(first: number, as: Role): Promise<{ statements: number; nodes: number }> {
    const spy = jest.spyOn(PostgresQueryRunner.prototype, 'query');
    try {
      const { body } = await t.gql<any>(NESTED, { first }, as);
      expect(body.errors).toBeUndefined();
      if (process.env.SHOW_SQL) console.log(first, spy.mock.calls.map((c) => String(c[0]).replace(/\s+/g, ' ').slice(0, 140)).join('\n'));
      return { statements: spy.mock.calls.length, nodes: body.data.incidents.edges.length };
    } finally {
      spy.mockRestore();
    }
  }

  it('is the same for a page of 5 and a page of 50, at any nesting depth', async () => {
    const small = await statementsFor(5, Role.EDITOR);
    const large = await statementsFor(50, Role.EDITOR);
    expect(small.nodes).toBe(5);
    expect(large.nodes).toBe(50);
    expect(large.statements).toBe(small.statements);
    // And bounded: one per relation level, plus the page, the count and the audit entry (with, for
    // links such as citations, one check per type of what they link: src/audit/audit.service.ts).
    expect(large.statements).toBeLessThanOrEqual(20);
  });

  // Field resolvers take (parent, args, context) without parameter decorators, so that Nest calls
  // them directly (src/common/vigil-context.ts, NoArgs). Through Nest's context creator every call
  // ran the pipes for its @Parent and @Context: 2 pipe calls per relation per row.
  it('runs Nest\'s pipes for the request\'s arguments only, not for each field resolver call', async () => {
    const pipeCalls = async (first: number) => {
      const spy = jest.spyOn(VigilValidationPipe.prototype, 'transform');
      try {
        const { body } = await t.gql<any>(NESTED, { first }, Role.EDITOR);
        expect(body.errors).toBeUndefined();
        expect(body.data.incidents.edges).toHaveLength(first);
        return spy.mock.calls.length;
      } finally {
        spy.mockRestore();
      }
    };
    const small = await pipeCalls(5);
    expect(await pipeCalls(50)).toBe(small);
    // incidents(first:) and its other arguments (filter, orderBy, after...), nothing per row.
    expect(small).toBeLessThanOrEqual(6);
  });

  // IncidentsResolver.lookAhead: the page's citations and responses are read as soon as its
  // incidents are known, by the same loads the field resolvers make (one statement each), and those
  // resolvers are then served from the request's loaders.
  it('sends the statements of a page\'s citations and responses before GraphQL walks the page, once each', async () => {
    const query = jest.spyOn(PostgresQueryRunner.prototype, 'query');
    const many = jest.spyOn(Loaders.prototype, 'many');
    const through = jest.spyOn(Loaders.prototype, 'through');
    try {
      const { body } = await t.gql<any>(
        `{ incidents(first: 50) { edges { node { id citations { excerpt source { publisher title } } responses { kind title } } } } }`,
        {},
        Role.PUBLIC,
      );
      expect(body.errors).toBeUndefined();
      const incidents = body.data.incidents.edges.length;
      expect(incidents).toBe(50);
      expect(body.data.incidents.edges.some((e: any) => e.node.citations.length && e.node.responses.length)).toBe(true);
      const sentAt = (table: string) => {
        const at = query.mock.calls.flatMap((c, i) => (new RegExp(`FROM "${table}"`).test(String(c[0])) ? [query.mock.invocationCallOrder[i]] : []));
        expect(at).toHaveLength(1);
        return at[0];
      };
      /** The loads of `entity` made before and after its statement was sent. */
      const loads = (spy: jest.SpyInstance, entity: Function, sent: number) => {
        const orders = spy.mock.calls.flatMap((c, i) => (c[0] === entity ? [spy.mock.invocationCallOrder[i]] : []));
        return { before: orders.filter((o) => o < sent).length, after: orders.filter((o) => o > sent).length };
      };
      // One load per incident ahead of the statement, then one per incident from the field resolvers.
      expect(loads(many, Citation, sentAt('citation'))).toEqual({ before: incidents, after: incidents });
      expect(loads(through, ResponseIncident, sentAt('response_incident'))).toEqual({ before: incidents, after: incidents });
    } finally {
      query.mockRestore();
      many.mockRestore();
      through.mockRestore();
    }
  });
});
