import { FieldNode, FragmentDefinitionNode, GraphQLResolveInfo, Kind, SelectionSetNode } from 'graphql';

/** The names of the fields the query may select at `path` below the field being resolved
 * (`['edges', 'node']` for a list's records), through aliases, inline fragments and named ones.
 * For reading ahead what a resolver below will ask for: a field under `@skip` or a fragment of
 * another type counts too, so the answer may hold more than is served, never less. */
export function selectedBelow(info: GraphQLResolveInfo, path: readonly string[]): Set<string> {
  let level: SelectionSetNode[] = info.fieldNodes.flatMap((f) => (f.selectionSet ? [f.selectionSet] : []));
  for (const name of path) {
    level = fieldsOf(level, info.fragments)
      .filter((f) => f.name.value === name && f.selectionSet)
      .map((f) => f.selectionSet!);
  }
  return new Set(fieldsOf(level, info.fragments).map((f) => f.name.value));
}

function fieldsOf(sets: SelectionSetNode[], fragments: Record<string, FragmentDefinitionNode>, seen = new Set<string>()): FieldNode[] {
  return sets.flatMap((set) =>
    set.selections.flatMap((s): FieldNode[] => {
      if (s.kind === Kind.FIELD) return [s];
      if (s.kind === Kind.INLINE_FRAGMENT) return fieldsOf([s.selectionSet], fragments, seen);
      const fragment = fragments[s.name.value];
      if (!fragment || seen.has(s.name.value)) return [];
      seen.add(s.name.value);
      return fieldsOf([fragment.selectionSet], fragments, seen);
    }),
  );
}
