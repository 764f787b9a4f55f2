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

/** Validates every GraphQL argument with its class-validator rules and answers BAD_USER_INPUT
 * listing every bad field with its path, never only the first. */
@Injectable()
export class VigilValidationPipe implements PipeTransform {
  transform(value: unknown, metadata: ArgumentMetadata): unknown {
    const type = metadata.metatype;
    if (!type || [String, Boolean, Number, Array, Object].includes(type as never) || value === undefined || value === null) {
      return value;
    }
    const instance = plainToInstance(type, value) as object;
    const errors = validateSync(instance, { forbidUnknownValues: false });
    if (errors.length > 0) throw new UserInputError(problems(errors, metadata.data ?? ''));
    return instance;
  }
}
