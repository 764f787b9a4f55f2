import { ValidateBy, ValidationOptions } from 'class-validator';

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
