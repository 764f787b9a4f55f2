import { ArgumentMetadata, Injectable, PipeTransform } from '@nestjs/common';
import { plainToInstance } from 'class-transformer';
import { validateSync, ValidationError } from 'class-validator';
import { InputProblem, UserInputError } from './errors';

function problems(errors: ValidationError[], prefix: string): InputProblem[] {
  return errors.flatMap((e) => {
    const path = prefix ? (/^\d+$/.test(e.property) ? `${prefix}[${e.property}]` : `${prefix}.${e.property}`) : e.property;
    const own = Object.values(e.constraints ?? {}).map((message) => ({
      path,
      // class-validator prefixes messages with the property name; the path already says it.
      message: message.startsWith(`${e.property} `) ? message.slice(e.property.length + 1) : message,
    }));
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

/** Validates every GraphQL argument with its class-validator rules and answers BAD_USER_INPUT
 * listing every bad field with its path, never only the first. */
@Injectable()
export class VigilValidationPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const type = metadata.metatype;
    if (!type || [String, Boolean, Number, Array, Object].includes(type as never) || value === undefined || value === null) {
      return value;
    }
    return validateInput(type as new () => object, value, metadata.data ?? '');
  }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** For `ID` arguments: a malformed id is bad input naming the argument, never a database error. */
@Injectable()
export class UuidPipe implements PipeTransform<unknown, string> {
  transform(value: unknown, metadata: ArgumentMetadata): string {
    if (typeof value !== 'string' || !UUID.test(value)) throw UserInputError.of(metadata.data ?? 'id', 'must be an id (UUID)');
    return value;
  }
}
