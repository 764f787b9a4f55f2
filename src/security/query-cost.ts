import {
  getNamedType,
  getNullableType,
  GraphQLNamedType,
  GraphQLObjectType,
  GraphQLSchema,
  isCompositeType,
  isListType,
  isObjectType,
  DocumentNode,
} from 'graphql';
import { ComplexityEstimator, getComplexity } from 'graphql-query-complexity';
import { DEFAULT_PAGE_SIZE } from '../common/connection';

/** Items a list without `first` is assumed to hold (relations such as `Incident.citations`). */
export const ASSUMED_LIST_SIZE = 10;
/** Lists known to be longer than that. */
const ASSUMED_LIST_SIZES: Readonly<Record<string, number>> = {
  'Query.incidentStats': 100, // groups of an aggregate over every incident
};
/** Fields walked before giving up on a document (fragments spread into themselves many times). */
export const MAX_COST_NODES = 10_000;

function isConnection(type: GraphQLNamedType): type is GraphQLObjectType {
  return isObjectType(type) && type.name.endsWith('Connection') && 'edges' in type.getFields();
}

/** The cost of a field is the number of objects it may return: each object counts 1 plus what is
 * selected under it; scalars are free (they come with their object's row). A list counts as
 * ASSUMED_LIST_SIZE items; a connection as `first` items (default DEFAULT_PAGE_SIZE), its
 * `edges` passing the count through and its `pageInfo` free. Introspection is costed the same way,
 * which bounds `__schema { types { fields { type { fields ... } } } }`. */
export const vigilEstimator: ComplexityEstimator = ({ type, field, args, childComplexity }) => {
  const returned = getNamedType(field.type);
  if (!isCompositeType(returned)) return 0;
  if (isConnection(type)) return field.name === 'edges' ? childComplexity : 0;
  if (isConnection(returned)) {
    const first = typeof args.first === 'number' ? Math.max(0, args.first) : DEFAULT_PAGE_SIZE;
    return 1 + first * childComplexity;
  }
  const perItem = 1 + childComplexity;
  if (!isListType(getNullableType(field.type))) return perItem;
  return (ASSUMED_LIST_SIZES[`${type.name}.${field.name}`] ?? ASSUMED_LIST_SIZE) * perItem;
};

/** Costs already computed, per schema and parsed document (Mercurius caches parsed documents, so
 * a repeated query arrives as the same object), by operation and variables. */
const known = new WeakMap<GraphQLSchema, WeakMap<DocumentNode, Map<string, number>>>();
/** Variable sets remembered per document (the oldest is forgotten first). */
const REMEMBERED_PER_DOCUMENT = 32;

/** The estimated cost of running `operationName` (every operation when not named) of `document`
 * with `variables`. Throws a GraphQLError when the document is too large to walk. */
export function queryCost(
  schema: GraphQLSchema,
  document: DocumentNode,
  variables: Record<string, unknown> | undefined,
  operationName: string | undefined,
): number {
  const bySchema = known.get(schema) ?? known.set(schema, new WeakMap()).get(schema)!;
  const byDocument = bySchema.get(document) ?? bySchema.set(document, new Map()).get(document)!;
  let key: string | null = null;
  try {
    key = `${operationName ?? ''}\u0000${JSON.stringify(variables ?? {})}`;
  } catch {
    // Variables too deep to write out (a hostile 10,000-deep array): costed, not remembered.
  }
  const remembered = key === null ? undefined : byDocument.get(key);
  if (remembered !== undefined) return remembered;
  const cost = getComplexity({
    schema,
    query: document,
    variables: variables ?? {},
    operationName,
    estimators: [vigilEstimator],
    maxQueryNodes: MAX_COST_NODES,
  });
  if (key === null) return cost;
  if (byDocument.size >= REMEMBERED_PER_DOCUMENT) byDocument.delete(byDocument.keys().next().value!);
  byDocument.set(key, cost);
  return cost;
}
