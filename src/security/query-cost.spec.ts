import { buildSchema, parse } from 'graphql';
import { queryCost } from './query-cost';

const schema = buildSchema(`
  type Item { id: ID! }
  type ItemEdge { node: Item! }
  type ItemConnection { edges: [ItemEdge!]! }
  type Query { items(first: Int): ItemConnection! }
`);

describe('queryCost', () => {
  it('costs a connection by its page size, and a remembered document again with other variables', () => {
    const document = parse('query($first: Int) { items(first: $first) { edges { node { id } } } }');
    // The same parsed document (as Mercurius's cache hands it back) with different variables.
    expect(queryCost(schema, document, { first: 5 }, undefined)).toBe(1 + 5 * 1);
    expect(queryCost(schema, document, { first: 50 }, undefined)).toBe(1 + 50 * 1);
    expect(queryCost(schema, document, { first: 5 }, undefined)).toBe(1 + 5 * 1);
  });
});

describe('queryCost with hostile variables', () => {
  it('costs a request whose variables are too deep to write out, without failing', () => {
    const document = parse('query($first: Int) { items(first: $first) { edges { node { id } } } }');
    let deep: unknown = [];
    for (let i = 0; i < 20_000; i++) deep = [deep];
    expect(queryCost(schema, document, { first: 5, x: deep }, undefined)).toBe(6);
  });
});
