import { DATE_BOUND_EXPECTED, isDateBound } from '../dates/date-bound';
import { getMetadataStorage, ValidateBy, ValidationOptions } from 'class-validator';
import { RegionsService } from '../regions/regions.service';

/** A real calendar day written YYYY-MM-DD (2017-02-30 and 2017-13-01 are refused). */
export function isCalendarDate(value: unknown): boolean {
  if (typeof value !== 'string' || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const [y, m, d] = value.split('-').map(Number);
  const date = new Date(0);
  date.setUTCFullYear(y, m - 1, d); // Date.UTC would read years 0-99 as 1900-1999
  return y >= 1 && date.getUTCFullYear() === y && date.getUTCMonth() === m - 1 && date.getUTCDate() === d;
}

export function IsCalendarDate(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isCalendarDate', validator: { validate: isCalendarDate, defaultMessage: () => 'must be a date, YYYY-MM-DD' } },
    options,
  );
}

/** A filter bound: a year, month or day in EDTF (src/dates/date-bound.ts). */
export function IsDateBound(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: 'isDateBound', validator: { validate: isDateBound, defaultMessage: () => DATE_BOUND_EXPECTED } }, options);
}

let regionCodes: Set<string> | null = null;

/** An ISO 3166 code Vigil knows (RU, RU-CE). Checked against the same `iso-3166` data the region
 * table is loaded from, so it needs no query and serves imports of any size. */
export function isRegionCode(value: unknown): boolean {
  regionCodes ??= new Set(RegionsService.fromIso3166().map((r) => r.code));
  return typeof value === 'string' && regionCodes.has(value);
}

export function IsRegionCode(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isRegionCode',
      validator: { validate: isRegionCode, defaultMessage: () => 'must be a known ISO 3166 code such as RU or RU-CE (upper case)' },
    },
    options,
  );
}

/** An absolute http or https URL (no javascript:, data: or file: links in the record). */
export function isHttpUrl(value: unknown): boolean {
  if (typeof value !== 'string' || value.length > 2000) return false;
  try {
    const url = new URL(value);
    return (url.protocol === 'http:' || url.protocol === 'https:') && url.hostname.length > 0;
  } catch {
    return false;
  }
}

export function IsHttpUrl(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    { name: 'isHttpUrl', validator: { validate: isHttpUrl, defaultMessage: () => 'must be an http:// or https:// URL' } },
    options,
  );
}

const REFERS_TO = 'refersTo';

/** The id (or ids) of a record of `entity` that must exist and not be deleted. class-validator
 * checks the form (add IsUUID); the write validation then checks every reference of a request in
 * one query per table and reports each missing one with its path (see validateWrite). Kept as a
 * class-validator marker so that mapped types (PartialType) inherit it with the other rules. */
export function RefersTo(entity: () => Function, options?: ValidationOptions): PropertyDecorator {
  return ValidateBy({ name: REFERS_TO, constraints: [entity], validator: { validate: () => true } }, options);
}

/** The RefersTo declarations of an input class: property and entity. */
export function referencesOf(type: Function): { property: string; entity: Function }[] {
  // Asked for every object of every write (an import: per row): the declarations are fixed once
  // the classes are loaded.
  let found = referenceCache.get(type);
  if (!found) {
    found = getMetadataStorage()
      .getTargetValidationMetadatas(type, '', true, false)
      .filter((m) => m.name === REFERS_TO)
      .map((m) => ({ property: m.propertyName, entity: (m.constraints[0] as () => Function)() }));
    referenceCache.set(type, found);
  }
  return found;
}

const referenceCache = new WeakMap<Function, { property: string; entity: Function }[]>();

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** An id that may be absent (null or left out), for a field that another rule (OneOf) makes
 * required in some cases: IsOptional would switch that rule off too. */
export function IsOptionalId(options?: ValidationOptions): PropertyDecorator {
  return ValidateBy(
    {
      name: 'isOptionalId',
      validator: { validate: (v: unknown) => v === undefined || v === null || (typeof v === 'string' && UUID.test(v)), defaultMessage: () => 'must be an id (UUID)' },
    },
    options,
  );
}
