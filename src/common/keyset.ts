import { ObjectLiteral, QueryFailedError, SelectQueryBuilder } from 'typeorm';
import { ConnectionShape, DEFAULT_PAGE_SIZE, PageArgs } from './connection';
import { cursorKey, openCursor, sealCursor } from './cursor';
import { UserInputError } from './errors';
import { readEntities } from '../database/entity-rows';

export interface SortKey {
  /** A non-null SQL expression over the query's alias, e.g. `i.date_start`. */
  expression: string;
  direction: 'ASC' | 'DESC';
}

/** Names an ordering: the additional authenticated data of its cursors, so a cursor of one
 * ordering cannot be replayed against another. */
function orderingOf(keys: SortKey[]): string {
  return keys.map((k) => `${k.expression} ${k.direction}`).join('|');
}

const MALFORMED = 'malformed cursor; pass an endCursor or edge cursor from this list, with the same orderBy';

/** Keyset (cursor) pagination shared by every list: orders by the sort keys then the id, so rows are
 * never skipped or repeated; fetches first+1 rows to know whether a next page exists; counts lazily. */
export async function paginate<T extends ObjectLiteral>(
  qb: SelectQueryBuilder<T>,
  alias: string,
  sort: SortKey[],
  page: PageArgs,
  options: {
    /** A unique column that breaks ties between equal sort keys. */
    tiebreaker?: string;
    /** A parameter of the query that, bound to the rows a page reads, lets it stop there (a
     * ranked search: src/incidents/incidents.service.ts). Bound on a first page; on a later page
     * only with `boundAfter`. Never on the count; the query must give the same page with it null. */
    bound?: string;
    /** Parameters of the query that receive a later page's cursor values, one per sort key (the
     * tiebreaker last), so that it reads only rows after them before it stops at `bound`; null on
     * a first page. */
    boundAfter?: readonly string[];
  } = {},
): Promise<ConnectionShape<T>> {
  const tiebreaker = options.tiebreaker ?? `${alias}.id`;
  const keys: SortKey[] = [...sort, { expression: tiebreaker, direction: sort.at(-1)?.direction ?? 'ASC' }];
  const ordering = orderingOf(keys);
  const key = await cursorKey(qb.connection);
  const first = page.first ?? DEFAULT_PAGE_SIZE;
  const countQuery = qb.clone();

  const values = page.after ? openCursor(key, ordering, page.after, keys.length) : null;
  if (values) {
    // (k1, k2, ...) after (v1, v2, ...) in each key's own direction.
    const ors = keys.map((key, i) => {
      const equal = keys.slice(0, i).map((k, j) => `${k.expression} = :cursor_${j}`);
      const op = key.direction === 'ASC' ? '>' : '<';
      return `(${[...equal, `${key.expression} ${op} :cursor_${i}`].join(' AND ')})`;
    });
    qb.andWhere(`(${ors.join(' OR ')})`, Object.fromEntries(values.map((v, i) => [`cursor_${i}`, v])));
  }
  keys.forEach((key, i) => {
    qb.addSelect(`(${key.expression})::text`, `sort_${i}`);
    if (i === 0) qb.orderBy(key.expression, key.direction);
    else qb.addOrderBy(key.expression, key.direction);
  });
  qb.limit(first + 1);
  if (options.bound && (!values || options.boundAfter)) qb.setParameter(options.bound, first + 1);
  if (values && options.boundAfter) options.boundAfter.forEach((name, i) => qb.setParameter(name, values[i]));

  let result: { entities: T[]; raw: unknown[] };
  try {
    result = await readEntities(qb);
  } catch (error) {
    // A tampered cursor value that does not fit its key's type (SQLSTATE class 22, data exception).
    if (page.after && error instanceof QueryFailedError && String((error as { code?: string }).code).startsWith('22')) {
      throw UserInputError.of('after', MALFORMED);
    }
    throw error;
  }
  const { entities, raw } = result;
  const hasNextPage = entities.length > first;
  // Sealed only when asked for (a getter): most clients read endCursor alone.
  const cursorOf = (i: number) => sealCursor(key, ordering, keys.map((_, k) => (raw[i] as Record<string, unknown>)[`sort_${k}`]));
  const edges = entities.slice(0, first).map((node, i) => ({
    node,
    get cursor() {
      return cursorOf(i);
    },
  }));
  return {
    edges,
    pageInfo: {
      hasNextPage,
      hasPreviousPage: Boolean(page.after),
      get startCursor() {
        return edges.length ? cursorOf(0) : null;
      },
      get endCursor() {
        return edges.length ? cursorOf(edges.length - 1) : null;
      },
    },
    // A getter: GraphQL reads it (and the COUNT runs) only when totalCount is selected.
    get totalCount() {
      return countQuery.getCount();
    },
  };
}
