import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { LRUCache } from 'lru-cache';
import { validateSync, ValidationError } from 'class-validator';
import { DataSource, EntityManager } from 'typeorm';
import { InputProblem, UserInputError } from './errors';
import { referencesOf } from './validators';

function problems(errors: ValidationError[], prefix: string): InputProblem[] {
  return errors.flatMap((e) => {
    const path = prefix ? (/^\d+$/.test(e.property) ? `${prefix}[${e.property}]` : `${prefix}.${e.property}`) : e.property;
    const own = Object.entries(e.constraints ?? {}).flatMap(([constraint, text]) => {
      // class-validator prefixes messages with the property name; the path already says it.
      const message = text.startsWith(`${e.property} `) ? text.slice(e.property.length + 1) : text;
      // A list of ids is checked item by item (`each`): name the bad items, as a missing record is.
      if (constraint === 'isUuid' && Array.isArray(e.value)) {
        const bad = e.value.flatMap((v, i) => (typeof v === 'string' && UUID.test(v) ? [] : [{ path: `${path}[${i}]`, message }]));
        if (bad.length) return bad;
      }
      return [{ path, message }];
    });
    return [...own, ...problems(e.children ?? [], path)];
  });
}

/** `value` as an instance of `type`, validated with its class-validator rules; a UserInputError
 * listing every bad field (paths under `prefix`) otherwise. Shared by GraphQL, exports and the CLI. */
export function validateInput<T extends object>(type: new () => T, value: unknown, prefix: string): T {
  const instance = plainToInstance(type, value) as T;
  const errors = validateSync(instance, { forbidUnknownValues: false });
  if (errors.length > 0) throw new UserInputError(problems(errors, prefix));
  return instance;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

interface Reference {
  entity: Function;
  id: string;
  path: string;
}

/** Every well-formed id under `value` that a RefersTo rule names, with its path. */
function referencesIn(value: unknown, path: string, found: Reference[] = []): Reference[] {
  if (Array.isArray(value)) {
    value.forEach((v, i) => referencesIn(v, `${path}[${i}]`, found));
    return found;
  }
  if (value === null || typeof value !== 'object' || value instanceof Date) return found;
  const at = (property: string) => (path ? `${path}.${property}` : property);
  for (const { property, entity } of referencesOf(value.constructor)) {
    const ids = (value as Record<string, unknown>)[property];
    const list = Array.isArray(ids) ? ids.map((id, i) => [id, `${at(property)}[${i}]`]) : [[ids, at(property)]];
    for (const [id, where] of list) if (typeof id === 'string' && UUID.test(id)) found.push({ entity, id, path: where as string });
  }
  for (const [property, v] of Object.entries(value)) if (v && typeof v === 'object') referencesIn(v, at(property), found);
  return found;
}

/** Text holding a NUL character: PostgreSQL cannot store it in text, so it is bad input here
 * rather than a database error later. */
function nulProblems(value: unknown, path: string, found: InputProblem[] = []): InputProblem[] {
  if (typeof value === 'string') {
    if (value.includes('\0')) found.push({ path, message: 'must not contain a NUL character' });
  } else if (Array.isArray(value)) {
    value.forEach((v, i) => nulProblems(v, `${path}[${i}]`, found));
  } else if (value && typeof value === 'object' && !(value instanceof Date)) {
    for (const [k, v] of Object.entries(value)) nulProblems(v, path ? `${path}.${k}` : k, found);
  }
  return found;
}

/** The problems of an instance's form: its class-validator rules and NUL characters (nothing that
 * needs the database). */
function formProblems(instance: object, prefix: string): InputProblem[] {
  return [...problems(validateSync(instance, { forbidUnknownValues: false }), prefix), ...nulProblems(instance, prefix)];
}

/** Form problems already found, by type, prefix and value as JSON: GraphQL arguments repeat (the
 * same filter page after page), and class-validator's pass over a filter's many rules was a fortieth
 * of a page read's CPU. A pure function of those, so remembering it changes no answer. */
const knownForms = new LRUCache<string, InputProblem[]>({ max: 2000, maxSize: 4_000_000, sizeCalculation: (_, key) => key.length });
const typeIds = new WeakMap<Function, number>();
let typeCount = 0;
/** Values larger than this are checked every time (their JSON would crowd the cache). */
const MAX_REMEMBERED_JSON = 4000;

function rememberedFormProblems(type: Function, value: unknown, instance: object, prefix: string): InputProblem[] {
  let json: string | undefined;
  try {
    json = JSON.stringify(value);
  } catch {
    // Not JSON (too deep, a cycle): checked every time.
  }
  if (json === undefined || json.length > MAX_REMEMBERED_JSON) return formProblems(instance, prefix);
  if (!typeIds.has(type)) typeIds.set(type, ++typeCount);
  const key = `${typeIds.get(type)}\u0000${prefix}\u0000${json}`;
  let found = knownForms.get(key);
  if (!found) knownForms.set(key, (found = formProblems(instance, prefix)));
  return found.map((p) => ({ ...p }));
}

/** Options of validateWrite. */
export interface WriteValidation {
  /** A reference to a soft-deleted record is accepted. Only for the import, which restores what an
   * editor's export holds: the citations and links of a deleted incident were made while it
   * stood, and the file says so. The API refuses them. */
  deletedReferences?: boolean;
  /** Remember the form check per value (see knownForms): for GraphQL arguments, which repeat. */
  rememberForm?: boolean;
  /** Ids already found to exist, by entity, in the caller's transaction: not asked again, and those
   * found are added. The caller owns it, uses it with the same deletedReferences, and drops what it
   * added when it rolls back (the import: per chunk). */
  knownToExist?: Map<Function, Set<string>>;
}

/** The references that name no record, or a deleted one: one query per table. */
async function missingReferences(value: object, prefix: string, db: DataSource | EntityManager, options: WriteValidation): Promise<InputProblem[]> {
  const references = referencesIn(value, prefix);
  const problems: InputProblem[] = [];
  for (const entity of new Set(references.map((r) => r.entity))) {
    const metadata = (db instanceof EntityManager ? db.connection : db).getMetadata(entity);
    const wanted = references.filter((r) => r.entity === entity);
    const known = options.knownToExist?.get(entity);
    const asked = [...new Set(wanted.map((r) => r.id.toLowerCase()))].filter((id) => !known?.has(id));
    const rows: { id: string }[] = asked.length
      ? await db.query(`SELECT id FROM ${metadata.tableName} WHERE id = ANY($1::uuid[])${options.deletedReferences ? '' : ' AND deleted_at IS NULL'}`, [asked])
      : [];
    // Not a copy of `known`: it may hold every record an import wrote so far.
    const found = new Set(rows.map((r) => r.id));
    if (options.knownToExist && rows.length) {
      if (!known) options.knownToExist.set(entity, new Set(found));
      else for (const r of rows) known.add(r.id);
    }
    for (const r of wanted) {
      const id = r.id.toLowerCase();
      if (!found.has(id) && !known?.has(id)) problems.push({ path: r.path, message: `no ${metadata.name} with this id (or it is deleted)` });
    }
  }
  return problems;
}

/** For a batch of writes about to be validated one by one (the import's chunks): finds in one query
 * per table which of the records they refer to exist, and adds those to `knownToExist`, so that
 * validateWrite asks the database again only for the ones that do not (bad rows). The same rules
 * decide, as the same RefersTo declarations name the references. */
export async function prefetchReferences(
  type: new () => object,
  values: readonly unknown[],
  db: DataSource | EntityManager,
  options: WriteValidation & { knownToExist: Map<Function, Set<string>> },
): Promise<void> {
  const byEntity = new Map<Function, Set<string>>();
  for (const value of values) {
    for (const r of referencesIn(plainToInstance(type, value), '')) {
      const known = options.knownToExist.get(r.entity);
      const id = r.id.toLowerCase();
      if (!known?.has(id)) (byEntity.get(r.entity) ?? byEntity.set(r.entity, new Set()).get(r.entity)!).add(id);
    }
  }
  for (const [entity, ids] of byEntity) {
    const metadata = (db instanceof EntityManager ? db.connection : db).getMetadata(entity);
    const rows: { id: string }[] = await db.query(
      `SELECT id FROM ${metadata.tableName} WHERE id = ANY($1::uuid[])${options.deletedReferences ? '' : ' AND deleted_at IS NULL'}`,
      [[...ids]],
    );
    const known = options.knownToExist.get(entity) ?? options.knownToExist.set(entity, new Set()).get(entity)!;
    for (const r of rows) known.add(r.id);
  }
}

/** validateInput plus the RefersTo rules, which need the database: one error lists every bad field
 * of the request, the form of each and the records it names. Used for every write, from GraphQL
 * and from imports alike. */
export async function validateWrite<T extends object>(
  type: new () => T,
  value: unknown,
  prefix: string,
  db: DataSource | EntityManager,
  options: WriteValidation = {},
): Promise<T> {
  const instance = plainToInstance(type, value) as T;
  const found = options.rememberForm ? rememberedFormProblems(type, value, instance, prefix) : formProblems(instance, prefix);
  found.push(...(await missingReferences(instance, prefix, db, options)));
  if (found.length > 0) throw new UserInputError(found);
  return instance;
}

/** Validates every GraphQL argument with its class-validator rules (and, for writes, that the
 * records it names exist) and answers BAD_USER_INPUT listing every bad field with its path, never
 * only the first. */
/** ArgumentMetadata types that carry what a caller sent (see VigilValidationPipe.transform): a
 * route's inputs, and GraphQL's @Args, which Nest reports as 'body' (@Parent and @Context are
 * 'custom'). */
const CALLER_INPUT = new Set<string>(['body', 'query', 'param']);

@Injectable()
export class VigilValidationPipe implements PipeTransform {
  constructor(private readonly dataSource: DataSource) {}

  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const type = metadata.metatype;
    // Only what a caller sent. A global pipe also sees each field resolver's @Parent (a record
    // already read from the database) and context: validating those cost a copy and a full
    // class-validator pass per field per row, for nothing (the benchmark's page read: 50 per request).
    if (!CALLER_INPUT.has(metadata.type)) return value;
    if (!type || [String, Boolean, Number, Array, Object].includes(type as never) || value === undefined || value === null) {
      return value;
    }
    return validateWrite(type as new () => object, value, metadata.data ?? '', this.dataSource, { rememberForm: true });
  }
}

/** For `ID` arguments: a malformed id is bad input naming the argument, never a database error. */
@Injectable()
export class UuidPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    if (typeof value !== 'string' || !UUID.test(value)) throw UserInputError.of(metadata.data ?? 'id', 'must be an id (UUID)');
    return value;
  }
}

/** For a count argument (`first`): a whole number from 1 to `max`, named when it is not. */
export class LimitPipe implements PipeTransform<unknown, number> {
  constructor(private readonly max: number) {}

  transform(value: unknown, metadata: ArgumentMetadata): number {
    if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > this.max) {
      throw UserInputError.of(metadata.data ?? 'first', `must be a whole number from 1 to ${this.max}`);
    }
    return value;
  }
}
