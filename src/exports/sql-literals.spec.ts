import { inlineParameters, shiftPlaceholders, sqlLiteral } from './sql-literals';

describe('inlining parameters into a COPY statement', () => {
  it('quotes text with pg\'s escaping: quotes doubled, backslashes in an E string', () => {
    expect(sqlLiteral("O'Brien")).toBe("'O''Brien'");
    expect(sqlLiteral("'; DROP TABLE incident; --")).toBe("'''; DROP TABLE incident; --'");
    expect(sqlLiteral('a\\b')).toBe(" E'a\\\\b'");
    expect(sqlLiteral("\\'")).toBe(" E'\\\\'''");
    expect(sqlLiteral('%50\\%%')).toBe(" E'%50\\\\%%'");
  });

  it('writes null and undefined as NULL, numbers and booleans as quoted text PostgreSQL casts by context', () => {
    expect(sqlLiteral(null)).toBe('NULL');
    expect(sqlLiteral(undefined)).toBe('NULL');
    expect(sqlLiteral(42)).toBe("'42'");
    expect(sqlLiteral(-1.5)).toBe("'-1.5'");
    expect(sqlLiteral(true)).toBe("'true'");
  });

  it('writes dates with their offset, and arrays as array literals, as pg would bind them', () => {
    const literal = sqlLiteral(new Date('2026-11-01T10:00:00.000Z'));
    expect(literal).toMatch(/^'2026-11-01T\d{2}:00:00\.000[+-]\d{2}:\d{2}'$/);
    expect(sqlLiteral(['PUBLIC', "it's", 'a"b', null])).toBe(String.raw` E'{"PUBLIC","it''s","a\\"b",NULL}'`);
  });

  it('refuses values it cannot inline safely', () => {
    expect(() => sqlLiteral('a\0b')).toThrow('NUL');
    expect(() => sqlLiteral(Buffer.from('x'))).toThrow(TypeError);
  });

  it('replaces $1 and $10 as different parameters, each once, in one pass', () => {
    const params = Array.from({ length: 10 }, (_, i) => `v${i + 1}`);
    expect(inlineParameters('SELECT $1, $10, $1', params)).toBe("SELECT 'v1', 'v10', 'v1'");
    // A value that reads like a placeholder stays a value.
    expect(inlineParameters('SELECT $1, $2', ['$2', 'x'])).toBe("SELECT '$2', 'x'");
    expect(inlineParameters('WHERE a IN ($1, $2)', [null, 3])).toBe("WHERE a IN (NULL, '3')");
  });

  it('leaves placeholders inside strings, identifiers, dollar quotes and comments alone', () => {
    const sql = `SELECT '$1', 'it''s $1', E'\\'$1', "col$1", $$ $1 $$, $tag$ $1 $tag$, $1 -- $1\n/* $1 */ FROM t$1`;
    expect(inlineParameters(sql, ['x'])).toBe(`SELECT '$1', 'it''s $1', E'\\'$1', "col$1", $$ $1 $$, $tag$ $1 $tag$, 'x' -- $1\n/* $1 */ FROM t$1`);
  });

  it('fails on a placeholder without a parameter rather than sending a broken statement', () => {
    expect(() => inlineParameters('SELECT $2', ['only one'])).toThrow('$2 has no parameter');
    expect(() => inlineParameters('SELECT $0', ['x'])).toThrow('$0 has no parameter');
  });

  it('renumbers placeholders to follow another statement\'s parameters', () => {
    expect(shiftPlaceholders("SELECT $1, '$1', $12", 3)).toBe("SELECT $4, '$1', $15");
  });
});
