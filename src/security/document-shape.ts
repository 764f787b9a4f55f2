import { DocumentNode, FragmentDefinitionNode, Kind, SelectionSetNode } from 'graphql';

/** What can be read from a query document without the schema or the variables. */
export interface DocumentShape {
  /** Deepest field nesting of any operation (a root field is at depth 1), fragments followed.
   * Introspection (`__schema`, `__type`) is left out: it is answered from memory, and its breadth
   * is bounded by the cost limit. */
  depth: number;
  /** Aliased fields, as written. */
  aliases: number;
  /** Whether it asks for `__schema` or `__type` (`__typename` is not introspection). */
  introspection: boolean;
}

const INTROSPECTION = new Set(['__schema', '__type']);
const shapes = new WeakMap<DocumentNode, DocumentShape>();

/** Measures a document once (Mercurius caches parsed documents, so a cached one is not re-measured).
 * Every fragment is measured once, so a document of fragments spread into each other costs
 * linear time here. */
export function shapeOf(document: DocumentNode): DocumentShape {
  const known = shapes.get(document);
  if (known) return known;

  const fragments = new Map<string, FragmentDefinitionNode>();
  for (const definition of document.definitions) {
    if (definition.kind === Kind.FRAGMENT_DEFINITION) fragments.set(definition.name.value, definition);
  }
  const fragmentDepths = new Map<string, number>();
  const visiting = new Set<string>();
  let aliases = 0;
  let introspection = false;

  const depthOf = (selectionSet: SelectionSetNode | undefined): number => {
    if (!selectionSet) return 0;
    let deepest = 0;
    for (const selection of selectionSet.selections) {
      if (selection.kind === Kind.FIELD) {
        if (INTROSPECTION.has(selection.name.value)) continue; // counted by the walk below
        deepest = Math.max(deepest, 1 + depthOf(selection.selectionSet));
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        deepest = Math.max(deepest, depthOf(selection.selectionSet));
      } else {
        const name = selection.name.value;
        // A fragment spread into itself is invalid and refused by validation; count it as 0 here.
        if (visiting.has(name)) continue;
        if (!fragmentDepths.has(name)) {
          visiting.add(name);
          fragmentDepths.set(name, depthOf(fragments.get(name)?.selectionSet));
          visiting.delete(name);
        }
        deepest = Math.max(deepest, fragmentDepths.get(name)!);
      }
    }
    return deepest;
  };

  // Aliases and introspection as written: one pass over every definition.
  const walk = (selectionSet: SelectionSetNode | undefined): void => {
    for (const selection of selectionSet?.selections ?? []) {
      if (selection.kind === Kind.FIELD) {
        if (selection.alias) aliases += 1;
        if (INTROSPECTION.has(selection.name.value)) introspection = true;
        walk(selection.selectionSet);
      } else if (selection.kind === Kind.INLINE_FRAGMENT) {
        walk(selection.selectionSet);
      }
    }
  };

  let depth = 0;
  for (const definition of document.definitions) {
    if (definition.kind === Kind.OPERATION_DEFINITION) depth = Math.max(depth, depthOf(definition.selectionSet));
    if (definition.kind === Kind.OPERATION_DEFINITION || definition.kind === Kind.FRAGMENT_DEFINITION) walk(definition.selectionSet);
  }
  const shape = { depth, aliases, introspection };
  shapes.set(document, shape);
  return shape;
}
