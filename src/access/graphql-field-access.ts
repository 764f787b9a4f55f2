import { getDirective, MapperKind, mapSchema } from '@graphql-tools/utils';
import {
  defaultFieldResolver,
  DirectiveLocation,
  GraphQLDirective,
  GraphQLEnumType,
  GraphQLError,
  GraphQLNonNull,
  GraphQLSchema,
} from 'graphql';
import { AccessLevel } from './access-level';
import { Viewer } from './viewer';

/** `@sensitive(level: RESTRICTED)` on a field in schema.gql: who may read it. */
export const sensitiveDirective = new GraphQLDirective({
  name: 'sensitive',
  description: 'Only viewers at this level or above may read the field; others get null and a FORBIDDEN error.',
  locations: [DirectiveLocation.FIELD_DEFINITION],
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

export class ForbiddenFieldError extends GraphQLError {
  constructor(typeName: string, fieldName: string) {
    super(`Not allowed to read ${typeName}.${fieldName}`, {
      extensions: { code: 'FORBIDDEN', field: `${typeName}.${fieldName}` },
    });
  }
}

/** Wraps the resolver of every `@sensitive` field, whatever serves it (plain property, getter or
 * @ResolveField), so a field is checked at any depth, under any alias or fragment. Runs on the
 * built schema, which is why it cannot miss a field resolver the way Nest field middleware can. */
export function enforceSensitiveFields(schema: GraphQLSchema): GraphQLSchema {
  return mapSchema(schema, {
    [MapperKind.OBJECT_FIELD]: (fieldConfig, fieldName, typeName) => {
      const directive = getDirective(schema, fieldConfig, sensitiveDirective.name)?.[0];
      if (!directive) return fieldConfig;
      const level = directive.level as AccessLevel;
      if (fieldConfig.type instanceof GraphQLNonNull) {
        throw new Error(`${typeName}.${fieldName} is @sensitive and must be nullable, so a denied read can answer null`);
      }
      const resolve = fieldConfig.resolve ?? defaultFieldResolver;
      return {
        ...fieldConfig,
        resolve: (source, args, context: { viewer?: Viewer }, info) => {
          if (!context.viewer?.mayRead(level)) throw new ForbiddenFieldError(typeName, fieldName);
          return resolve(source, args, context, info);
        },
      };
    },
  });
}
