import { ValidateIf } from 'class-validator';

/** The field may be left out, but not set to null: for columns that are required or have a
 * default (class-validator's IsOptional lets null through too). */
export function Omittable(): PropertyDecorator {
  return ValidateIf((_object, value) => value !== undefined);
}
