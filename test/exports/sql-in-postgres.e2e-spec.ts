import { Client } from 'pg';
import { DateFields, DatePrecision } from '../../src/dates/date-precision';
import { formatEdtf, parseEdtf } from '../../src/dates/edtf';
import { edtfSql } from '../../src/exports/columns';
import { neutraliseFormula, neutraliseFormulaSql } from '../../src/exports/formula';
import { inlineParameters } from '../../src/exports/sql-literals';
import { serverUrl } from '../support/test-database';

/** The SQL halves of the export rules, run on PostgreSQL against their TypeScript halves. */
describe('export SQL on PostgreSQL', () => {
  let client: Client;
  beforeAll(async () => {
    client = new Client({ connectionString: serverUrl() });
    await client.connect();
  });
  afterAll(() => client.end());

  describe('inlined parameters', () => {
    const VALUES: [unknown, string][] = [
      ["O'Brien", 'text'],
      ["'; DROP TABLE x; --", 'text'],
      ['back\\slash \\\' \\\\ end\\', 'text'],
      ['$1 $10 $$ $tag$ -- /* */', 'text'],
      ['"double" quotes, commas\nnewlines\r\ttabs', 'text'],
      ['ünïcödé ✓ 😀 中文', 'text'],
      ['%50\\%_', 'text'],
      ['', 'text'],
      [null, 'text'],
      [0, 'int'],
      [-2147483648, 'int'],
      [3.14159, 'float8'],
      [true, 'boolean'],
      [new Date('2026-11-01T10:20:30.456Z'), 'timestamptz'],
      ['2017-04-01', 'date'],
      [['PUBLIC', 'RESTRICTED'], 'text[]'],
      [["it's", 'a"b', 'c\\d', null, ''], 'text[]'],
      ['7c1f0000-0000-4000-8000-000000000000', 'uuid'],
    ];

    it.each(VALUES)('reads %p back exactly as the bound parameter would be read (%s)', async (value, type) => {
      const bound = await client.query(`SELECT $1::${type} AS v`, [value]);
      const inlined = await client.query(inlineParameters(`SELECT $1::${type} AS v`, [value]));
      expect(inlined.rows[0].v).toEqual(bound.rows[0].v);
    });

    it('keeps values apart from the statement in a COPY, where no parameter can be bound', async () => {
      const values = Array.from({ length: 11 }, (_, i) => `v${i + 1}'\\`);
      const sql = `SELECT ${values.map((_, i) => `$${i + 1}::text AS c${i + 1}`).join(', ')}`;
      const { rows } = await client.query(inlineParameters(sql, values));
      expect(Object.values(rows[0])).toEqual(values);
    });

    it('works in the contexts the exports use: IN lists, ILIKE patterns, casts by context', async () => {
      await client.query('CREATE TEMP TABLE t (id int, kind text, at timestamptz, name text)');
      await client.query(`INSERT INTO t VALUES (1, 'A', '2026-01-01Z', '50% off'), (2, 'B', '2026-06-01Z', 'half_price'), (3, 'C', '2025-01-01Z', 'x')`);
      const sql = 'SELECT id FROM t WHERE kind IN ($1, $2) AND at >= $3 AND name ILIKE $4 ORDER BY id';
      const params = ['A', 'B', new Date('2025-12-31T00:00:00Z'), '%50\\%%'];
      expect((await client.query(inlineParameters(sql, params))).rows).toEqual((await client.query(sql, params)).rows);
      expect((await client.query(inlineParameters(sql, params))).rows).toEqual([{ id: 1 }]);
    });
  });

  it('neutralises formulas in SQL exactly as in TypeScript', async () => {
    const samples = ['=1+1', '+1', '-1', '@SUM', '\tx', '\rx', "'=x", "''+x", "'", "'a", 'plain', '', ' =x', 'a=b', '😀=', '=', '-', "'\t", null];
    const { rows } = await client.query(`SELECT ${neutraliseFormulaSql('s.v')} AS out FROM unnest($1::text[]) WITH ORDINALITY AS s(v, n) ORDER BY n`, [samples]);
    expect(rows.map((r) => r.out)).toEqual(samples.map((s) => (s === null ? null : neutraliseFormula(s))));
  });

  it('writes EDTF in SQL exactly as formatEdtf does', async () => {
    const forms = ['2017-06-02', '2018-12~', '2019?', '2017-04%', '2017-04/2017-06', '2017-04/..', '2017-04~/2017-06', '2010/2019', '0999', '0042-03-04?', '2017-04/2017-04', '2017-06-02/2017-06-05%'];
    const dates: DateFields[] = forms.map(parseEdtf);
    await client.query(`CREATE TEMP TABLE d (n int, date_start date, date_end date, date_precision text, date_approximate boolean, date_uncertain boolean, date_open_end boolean)`);
    for (const [n, d] of dates.entries()) {
      await client.query('INSERT INTO d VALUES ($1, $2, $3, $4, $5, $6, $7)', [n, d.start, d.end, d.precision, d.approximate, d.uncertain, d.openEnd]);
    }
    const { rows } = await client.query(`SELECT ${edtfSql('d', 'date')} AS edtf FROM d ORDER BY n`);
    expect(rows.map((r) => r.edtf)).toEqual(dates.map(formatEdtf));
    expect(dates.some((d) => d.precision === DatePrecision.YEAR)).toBe(true);
  });
});
