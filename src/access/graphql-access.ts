import { getDirective, MapperKind, mapSchema } from '@graphql-tools/utils';
import {
  defaultFieldResolver,
  DirectiveLocation,
  GraphQLArgument,
  GraphQLDirective,
  GraphQLEnumType,
  GraphQLError,
  GraphQLFieldConfig,
  GraphQLInputObjectType,
  GraphQLInputType,
  GraphQLNonNull,
  GraphQLObjectType,
  GraphQLOutputType,
  GraphQLResolveInfo,
  GraphQLSchema,
  getNamedType,
  isEnumType,
  isInputObjectType,
  isListType,
  isNonNullType,
  isObjectType,
  Kind,
} from 'graphql';
import { AccessLevel } from './access-level';
import { AccessRecorder, AUDITED_AS, Disclosure } from './access-recorder';
import { VISIBILITY_DEPENDENCIES } from './record-visibility';
import { Role } from './role';
import { Viewer } from './viewer';

/** `@sensitive(level: RESTRICTED)` in schema.gql: who may read a field, or filter or sort on one. */
export const sensitiveDirective = new GraphQLDirective({
  name: 'sensitive',
  description:
    'Only viewers at this level or above may read the field (others get null and a FORBIDDEN error), ' +
    'or use this filter field or sort value (others get a FORBIDDEN error and no data).',
  locations: [DirectiveLocation.FIELD_DEFINITION, DirectiveLocation.INPUT_FIELD_DEFINITION, DirectiveLocation.ENUM_VALUE],
  args: {
    level: {
      type: new GraphQLNonNull(
        new GraphQLEnumType({
          name: 'Sensitivity',
          values: { RESTRICTED: { value: AccessLevel.RESTRICTED }, CONFIDENTIAL: { value: AccessLevel.CONFIDENTIAL } },
        }),
      ),
    },
  },
});

/** `@requiresRole(role: EDITOR)` in schema.gql: the least role that may run a query or mutation. */
export const requiresRoleDirective = new GraphQLDirective({
  name: 'requiresRole',
  description: 'The least role that may run this operation. An operation without it is refused to everyone.',
  locations: [DirectiveLocation.FIELD_DEFINITION],
  args: {
    role: {
      type: new GraphQLNonNull(
        new GraphQLEnumType({
          name: 'RequiredRole',
          values: Object.fromEntries(Object.values(Role).map((r) => [r, { value: r }])),
        }),
      ),
    },
  },
});

export const ACCESS_DIRECTIVES = [sensitiveDirective, requiresRoleDirective];

/** A field, filter or sort the viewer may not use. Names the schema coordinate, never a value. */
export class ForbiddenFieldError extends GraphQLError {
  constructor(coordinate: string, argumentPath?: string) {
    super(
      argumentPath
        ? `${argumentPath}: not allowed to filter or sort on ${coordinate}`
        : `Not allowed to read ${coordinate}`,
      { extensions: { code: 'FORBIDDEN', field: coordinate, ...(argumentPath ? { argument: argumentPath } : {}) } },
    );
  }
}

export class ForbiddenOperationError extends GraphQLError {
  constructor(coordinate: string, required: Role | null) {
    super(
      required ? `${coordinate} requires the ${required} role` : `${coordinate} declares no required role, so it is refused`,
      { extensions: { code: 'FORBIDDEN', operation: coordinate, ...(required ? { requiredRole: required } : {}) } },
    );
  }
}

interface AccessContext {
  viewer?: Viewer;
  access?: AccessRecorder;
}

/** A protected filter field or sort value an argument used, for the audit log. */
interface ProbeUse {
  kind: Disclosure.PROTECTED_FILTER | Disclosure.PROTECTED_SORT;
  coordinate: string;
  level: AccessLevel;
  value: unknown;
}

/** A check of one argument value against the sensitive input fields and enum values it may hold;
 * the permitted uses are pushed to `used`. */
type ArgumentCheck = (value: unknown, path: string, viewer: Viewer, used: ProbeUse[]) => void;

function levelOn(schema: GraphQLSchema, node: Parameters<typeof getDirective>[1]): AccessLevel | null {
  return (getDirective(schema, node, sensitiveDirective.name)?.[0]?.level as AccessLevel | undefined) ?? null;
}

/** Builds the check for an input type, or null when nothing in it is sensitive. */
function argumentCheck(schema: GraphQLSchema, type: GraphQLInputType, seen = new Map<string, ArgumentCheck | null>()): ArgumentCheck | null {
  if (isNonNullType(type)) return argumentCheck(schema, type.ofType, seen);
  if (isListType(type)) {
    const inner = argumentCheck(schema, type.ofType, seen);
    return inner && ((value, path, viewer, used) => {
      if (Array.isArray(value)) value.forEach((v, i) => inner(v, `${path}[${i}]`, viewer, used));
      else inner(value, path, viewer, used);
    });
  }
  if (isEnumType(type)) {
    const sensitive = new Map<unknown, { level: AccessLevel; coordinate: string; name: string }>();
    for (const v of type.getValues()) {
      const level = levelOn(schema, v);
      if (level) sensitive.set(v.value, { level, coordinate: `${type.name}.${v.name}`, name: v.name });
    }
    if (!sensitive.size) return null;
    return (value, path, viewer, used) => {
      const s = sensitive.get(value);
      if (!s) return;
      if (!viewer.mayRead(s.level)) throw new ForbiddenFieldError(s.coordinate, path);
      used.push({ kind: Disclosure.PROTECTED_SORT, coordinate: s.coordinate, level: s.level, value: s.name });
    };
  }
  if (isInputObjectType(type)) return inputObjectCheck(schema, type, seen);
  return null;
}

function inputObjectCheck(schema: GraphQLSchema, type: GraphQLInputObjectType, seen: Map<string, ArgumentCheck | null>): ArgumentCheck | null {
  if (seen.has(type.name)) return seen.get(type.name)!;
  // A self-referencing input (a filter with nested filters) refers to its own check, not yet built.
  let built: ArgumentCheck | null = null;
  seen.set(type.name, (value, path, viewer, used) => built?.(value, path, viewer, used));
  const fields: { name: string; level: AccessLevel | null; inner: ArgumentCheck | null }[] = [];
  for (const field of Object.values(type.getFields())) {
    const level = levelOn(schema, field);
    const inner = argumentCheck(schema, field.type, seen);
    if (level || inner) fields.push({ name: field.name, level, inner });
  }
  const check: ArgumentCheck | null = fields.length
    ? (value, path, viewer, used) => {
        if (value === null || typeof value !== 'object') return;
        for (const f of fields) {
          const v = (value as Record<string, unknown>)[f.name];
          if (v === undefined || v === null) continue;
          if (f.level) {
            if (!viewer.mayRead(f.level)) throw new ForbiddenFieldError(`${type.name}.${f.name}`, `${path}.${f.name}`);
            used.push({ kind: Disclosure.PROTECTED_FILTER, coordinate: `${type.name}.${f.name}`, level: f.level, value: v });
          }
          f.inner?.(v, `${path}.${f.name}`, viewer, used);
        }
      }
    : null;
  built = check;
  seen.set(type.name, check);
  return check;
}

function argumentsCheck(schema: GraphQLSchema, args: readonly Pick<GraphQLArgument, 'name' | 'type'>[]) {
  const checks = args.flatMap((a) => {
    const check = argumentCheck(schema, a.type);
    return check ? [{ name: a.name, check }] : [];
  });
  if (!checks.length) return null;
  /** Throws on a use the viewer may not make; returns the permitted uses. */
  return (values: Record<string, unknown>, viewer: Viewer): ProbeUse[] => {
    const used: ProbeUse[] = [];
    for (const { name, check } of checks) {
      if (values[name] !== undefined && values[name] !== null) check(values[name], name, viewer, used);
    }
    return used;
  };
}

/** What the audit keeps of a protected filter's or sort's value: how narrow a guess it was, never
 * the guess (a name typed in a filter would otherwise live for ever in an append-only log). */
export function askedOf(use: Pick<ProbeUse, 'kind' | 'value'>): Record<string, unknown> {
  const v = use.value;
  if (use.kind === Disclosure.PROTECTED_SORT || typeof v === 'boolean') return { value: v };
  if (typeof v === 'string') return { length: v.length };
  if (Array.isArray(v)) return { count: v.length };
  const box = v as Partial<Record<'south' | 'west' | 'north' | 'east', unknown>>;
  if (v && typeof v === 'object' && [box.south, box.west, box.north, box.east].every((n) => typeof n === 'number')) {
    const [south, west, north, east] = [box.south, box.west, box.north, box.east] as number[];
    // west > east crosses the antimeridian.
    const width = west <= east ? east - west : 360 - west + east;
    return { widthDegrees: Number(width.toPrecision(6)), heightDegrees: Number((north - south).toPrecision(6)) };
  }
  return {};
}

/** Object types that are records (they carry a confidentiality): every value of one a field
 * returns is noted, so content of a record above PUBLIC is audited wherever it is reached. */
function isRecordType(type: GraphQLOutputType): string | null {
  const named = getNamedType(type);
  return isObjectType(named) && 'confidentiality' in named.getFields() ? named.name : null;
}

/** A connection's edge type (`cursor` and `node`) whose node is a record: the record type's name. */
function edgeRecordType(type: GraphQLOutputType): string | null {
  const named = getNamedType(type);
  if (!isObjectType(named)) return null;
  const fields = named.getFields();
  return 'cursor' in fields && 'node' in fields ? isRecordType(fields.node.type) : null;
}

/** Whether the field's selection may include `name` (a fragment may: counted as yes). */
function maySelect(info: GraphQLResolveInfo, name: string): boolean {
  return info.fieldNodes.some((f) => f.selectionSet?.selections.some((s) => s.kind !== Kind.FIELD || s.name.value === name));
}

/** Notes each record in a resolved value (a record, a list of them, or null). */
function noteRecords(access: AccessRecorder, typeName: string, value: unknown): void {
  if (value === null || value === undefined) return;
  if (Array.isArray(value)) {
    for (const v of value) noteRecords(access, typeName, v);
    return;
  }
  const record = value as { id?: unknown; confidentiality?: AccessLevel; [AUDITED_AS]?: string };
  if (!record.confidentiality) return;
  if (record.confidentiality !== AccessLevel.PUBLIC) access.noteRecord(record[AUDITED_AS] ?? typeName, record.confidentiality, record.id);
  else if (typeName in VISIBILITY_DEPENDENCIES) access.noteLinked(typeName, record.id);
}

/** Notes each protected filter or sort used, once the field has resolved, with the number of
 * records a filtered list holds (its totalCount, counted for the audit even when not asked for). */
async function noteProbes(access: AccessRecorder, probes: ProbeUse[], value: unknown): Promise<unknown> {
  const resolved = await value;
  // A sort's matches say nothing: only a filter's are counted.
  const filtered = probes.some((p) => p.kind === Disclosure.PROTECTED_FILTER);
  const counted = filtered ? (resolved as { totalCount?: unknown } | null)?.totalCount : undefined;
  const matches = counted === undefined ? undefined : Number(await counted);
  for (const probe of probes) {
    access.noteProbe(probe.kind, probe.level, {
      coordinate: probe.coordinate,
      asked: askedOf(probe),
      ...(matches === undefined || Number.isNaN(matches) ? {} : { matches }),
    });
  }
  return resolved;
}

function isPromiseLike(value: unknown): value is PromiseLike<unknown> {
  return typeof (value as PromiseLike<unknown> | null)?.then === 'function';
}

/**
 * The one GraphQL enforcement of the access declarations, applied to the built schema so that no
 * resolver can escape it (plain property, getter or @ResolveField, at any depth, under any alias or
 * fragment):
 * - a query or mutation runs only for the role its `@requiresRole` names; one without it is refused;
 * - a `@sensitive` field answers null with a FORBIDDEN error naming it to a viewer below its level,
 *   and a permitted read of a non-null value is noted for the audit log;
 * - an argument that uses a `@sensitive` filter field or sort value is refused the same way, before
 *   any SQL runs, so a filter cannot serve as an oracle for a value the viewer may not read; a
 *   permitted use is noted for the audit log as a probe;
 * - every record a cleared viewer is served (by id, in a list, through a relation) is noted when it
 *   is above PUBLIC or links records that may be (AccessRecorder, docs/access.md "Audit log").
 */
export function enforceAccess(schema: GraphQLSchema): GraphQLSchema {
  const rootTypes = new Set([schema.getQueryType(), schema.getMutationType(), schema.getSubscriptionType()].filter(Boolean).map((t) => t!.name));
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig, fieldName, typeName) => {
      const coordinate = `${typeName}.${fieldName}`;
      const level = levelOn(schema, fieldConfig);
      if (level && fieldConfig.type instanceof GraphQLNonNull) {
        throw new Error(`${coordinate} is @sensitive and must be nullable, so a denied read can answer null`);
      }
      const required = rootTypes.has(typeName)
        ? ((getDirective(schema, fieldConfig, requiresRoleDirective.name)?.[0]?.role as Role | undefined) ?? null)
        : undefined;
      // A mutation's protected inputs are values written, audited with the write; a query's are
      // filters and sorts, audited as probes.
      const isMutation = typeName === schema.getMutationType()?.name;
      const checkArgs = argumentsCheck(
        schema,
        Object.entries(fieldConfig.args ?? {}).map(([name, a]) => ({ name, type: a.type })),
      );
      // A list's records are noted from its `edges` (one call per page), not by a wrapper on
      // every edge's `node`; any other field returning records is wrapped itself.
      const parentFields = schema.getType(typeName) as GraphQLObjectType;
      const isEdgeNode = fieldName === 'node' && 'cursor' in parentFields.getFields();
      const recordType = isEdgeNode ? null : isRecordType(fieldConfig.type);
      const edgesOf = fieldName === 'edges' ? edgeRecordType(fieldConfig.type) : null;
      if (!level && required === undefined && !checkArgs && !recordType && !edgesOf) return fieldConfig;

      const resolve = fieldConfig.resolve ?? defaultFieldResolver;
      const wrapped: GraphQLFieldConfig<unknown, AccessContext> = {
        ...fieldConfig,
        resolve: (source, args, context, info) => {
          const viewer = context.viewer;
          if (!viewer) throw new ForbiddenOperationError(coordinate, null); // never served without a viewer
          if (required !== undefined && (required === null || !viewer.hasRole(required))) {
            throw new ForbiddenOperationError(coordinate, required);
          }
          if (required !== undefined) context.access?.noteOperation(coordinate);
          if (level && !viewer.mayRead(level)) throw new ForbiddenFieldError(coordinate);
          const used = checkArgs?.(args, viewer);
          const probes = isMutation ? undefined : used;
          const value = resolve(source, args, context, info);
          // The public can reach nothing above PUBLIC: its requests note nothing, and cost nothing more.
          const access = context.access;
          if (!access || viewer.clearance === AccessLevel.PUBLIC || (!level && !recordType && !edgesOf && !probes?.length)) return value;
          const note = (v: unknown) => {
            if (level && v !== null && v !== undefined) access.noteRead(coordinate, level, (source as { id?: unknown })?.id);
            if (recordType) noteRecords(access, recordType, v);
            if (edgesOf && Array.isArray(v) && maySelect(info, 'node')) for (const edge of v) noteRecords(access, edgesOf, (edge as { node?: unknown })?.node);
            return v;
          };
          const noted = isPromiseLike(value) ? Promise.resolve(value).then(note) : note(value);
          return probes?.length ? noteProbes(access, probes, noted) : noted;
        },
      };
      return wrapped;
    },
  });
}
