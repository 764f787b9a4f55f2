import { Field, InputType, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsArray, IsEnum, IsOptional, IsString, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { Column } from 'typeorm';
import { UserInputError } from './errors';
import { Omittable } from './optional';
import { BCP47 } from './search';
import { objectRule, TEXT } from './write-inputs';

/**
 * Translations of a record's text (docs/research.md, "Languages").
 *
 * A record's own text is in its own language (`language`). Translations of its headline (title,
 * name) and description, or of a citation's claim and excerpt, are kept beside it, in the record's
 * row (`translations`, jsonb), each marked as a translation with who made it and how. They are
 * part of the record: the same visibility, revisions, change stamps and search document (each
 * translation read with its own language's configuration), so no rule needs repeating for them.
 * A reader names the languages they prefer (`inLanguage(preferred: [...])`) and gets the first that
 * the record has, falling back to the original.
 */

export enum TranslationMethod {
  HUMAN = 'HUMAN',
  MACHINE = 'MACHINE',
  MACHINE_REVIEWED = 'MACHINE_REVIEWED',
}
registerEnumType(TranslationMethod, {
  name: 'TranslationMethod',
  description: 'How a translation was made: by a person, by a machine, or by a machine and checked by a person.',
  valuesMap: {
    HUMAN: { description: 'Translated by a person.' },
    MACHINE: { description: 'Machine translation, not checked.' },
    MACHINE_REVIEWED: { description: 'Machine translation checked by a person.' },
  },
});

/** A translation as stored: the language, the translated fields present, who and how. */
export type StoredTranslation = { language: string; translator: string; method: TranslationMethod } & Record<string, string>;

const MAX_TRANSLATIONS = 20;

/** The primary language subtag: "pt-BR" -> "pt". */
export function primaryLanguage(tag: string): string {
  return tag.split('-')[0].toLowerCase();
}

/** Base of every translation input, so stored values can be told from other arrays. */
export abstract class TranslationInputBase {
  language!: string;
  translator!: string;
  method!: TranslationMethod;
}

/** The stored form of translation inputs: the translated fields given (empty ones left out),
 * between the language and who made it. */
export function storedTranslations(inputs: readonly TranslationInputBase[]): StoredTranslation[] {
  return inputs.map((input) => {
    const stored: Record<string, string> = { language: input.language };
    for (const [field, value] of Object.entries(input)) {
      if (!['language', 'translator', 'method'].includes(field) && typeof value === 'string' && value !== '') stored[field] = value;
    }
    stored.translator = input.translator;
    stored.method = input.method;
    return stored as StoredTranslation;
  });
}

/** The text a reader who prefers `preferred` (BCP 47 tags, first preferred first) gets: the first
 * preferred language that is the record's own or one of its translations ("pt-BR" also matches a
 * "pt" one), else the original. Fields the chosen translation leaves out come from the original and
 * are named in `untranslated`. Pure. */
type Translatable = { language: string; translations?: StoredTranslation[] | null };

export function inLanguage(
  record: Translatable,
  fields: readonly string[],
  preferred: readonly string[],
): Record<string, unknown> & { language: string; isTranslation: boolean; untranslated: string[] } {
  const original = record as Translatable & Record<string, unknown>;
  const translations = original.translations ?? [];
  const own = () => ({
    ...Object.fromEntries(fields.map((f) => [f, original[f] ?? null])),
    language: original.language,
    isTranslation: false,
    originalLanguage: original.language,
    translator: null,
    method: null,
    untranslated: [],
  });
  for (const wanted of preferred) {
    for (const exact of [true, false]) {
      const same = (tag: string) => (exact ? tag.toLowerCase() === wanted.toLowerCase() : primaryLanguage(tag) === primaryLanguage(wanted));
      if (same(original.language)) return own();
      const found = translations.find((t) => same(t.language));
      if (found) {
        const untranslated = fields.filter((f) => found[f] === undefined && original[f] != null);
        return {
          ...Object.fromEntries(fields.map((f) => [f, found[f] ?? original[f] ?? null])),
          language: found.language,
          isTranslation: true,
          originalLanguage: original.language,
          translator: found.translator,
          method: found.method,
          untranslated,
        };
      }
    }
  }
  return own();
}

/** The reader's languages, each a BCP 47 tag (else a clear error naming the argument). */
export function checkedPreferred(preferred: readonly string[], argument = 'preferred'): readonly string[] {
  const bad = preferred.findIndex((tag) => !BCP47.test(tag));
  if (bad >= 0) throw UserInputError.of(`${argument}[${bad}]`, 'must be a BCP 47 language tag such as en, ru or pt-BR');
  if (preferred.length > MAX_TRANSLATIONS) throw UserInputError.of(argument, `must not list more than ${MAX_TRANSLATIONS} languages`);
  return preferred;
}

/** Each language at most once in a record's translations. */
const DistinctLanguages = () =>
  objectRule<unknown>('distinctLanguages', (value) => {
    if (!Array.isArray(value)) return null;
    const seen = new Set<string>();
    for (const [i, t] of value.entries()) {
      const tag = typeof t?.language === 'string' ? t.language.toLowerCase() : null;
      if (tag && seen.has(tag)) return `has two translations into ${t.language} (entry ${i + 1}): give one per language`;
      if (tag) seen.add(tag);
    }
    return null;
  });

/** The GraphQL types and the column of the translations of one record type, whose translatable
 * text fields are `fields` (each described for the schema). */
export function translationsOf(typeName: string, fields: Record<string, { description: string; max: number }>) {
  const names = Object.keys(fields);

  @ObjectType(`${typeName}Translation`, { description: `A translation of a ${typeName.toLowerCase()}'s text, with who made it: not the original.` })
  class Translation {
    @Field({ description: 'BCP 47 tag of the translation\'s language.' })
    language!: string;

    @Field({ description: 'Who translated it: a person, an organization or a service, as they wish to be named.' })
    translator!: string;

    @Field(() => TranslationMethod)
    method!: TranslationMethod;
  }

  @InputType(`${typeName}TranslationInput`, { description: `A translation of a ${typeName.toLowerCase()}'s text (the fields given), with who made it.` })
  class TranslationInput extends TranslationInputBase {
    @Field({ description: 'BCP 47 tag of the translation\'s language (ru, fr, pt-BR).' })
    @IsString()
    @Matches(BCP47, { message: 'must be a BCP 47 language tag such as en, ru or pt-BR' })
    declare language: string;

    @Field({ description: 'Who translated it: a person, an organization or a service.' })
    @IsString()
    @Length(1, TEXT.SHORT)
    declare translator: string;

    @Field(() => TranslationMethod)
    @IsEnum(TranslationMethod)
    declare method: TranslationMethod;
  }

  @ObjectType(`${typeName}InLanguage`, {
    description: `A ${typeName.toLowerCase()}'s text in the first of the reader's languages it has (the original when none): a translation says so, and by whom.`,
  })
  class InLanguage {
    @Field({ description: 'The language of the text given (of the translation, or the original\'s).' })
    language!: string;

    @Field({ description: 'The language the record was written in.' })
    originalLanguage!: string;

    @Field({ description: 'True when this is a translation, not the original text.' })
    isTranslation!: boolean;

    @Field(() => String, { nullable: true, description: 'Who translated it (null for the original).' })
    translator!: string | null;

    @Field(() => TranslationMethod, { nullable: true })
    method!: TranslationMethod | null;

    @Field(() => [String], { description: 'Fields the translation leaves out, given in the original language.' })
    untranslated!: string[];
  }

  const atLeastOne = objectRule<unknown>('translatesSomething', (value) => {
    if (!Array.isArray(value)) return null;
    const empty = value.findIndex((t) => !names.some((f) => typeof t?.[f] === 'string' && t[f] !== ''));
    return empty < 0 ? null : `entry ${empty + 1} translates nothing: give at least one of ${names.join(', ')}`;
  });
  for (const [name, { description, max }] of Object.entries(fields)) {
    Field(() => String, { nullable: true, description: `${description} (translated).` })(Translation.prototype, name);
    Field(() => String, { nullable: true, description })(InLanguage.prototype, name);
    Field(() => String, { nullable: true, description: `${description} (translated).` })(TranslationInput.prototype, name);
    IsOptional()(TranslationInput.prototype, name);
    IsString()(TranslationInput.prototype, name);
    MaxLength(max)(TranslationInput.prototype, name);
  }

  /** The entity's column and field: translations stored in the record's row. */
  const column = (): PropertyDecorator => (target, property) => {
    Field(() => [Translation], { description: 'Translations of the text, each marked with who made it. The original is the record\'s own text.' })(
      target,
      property,
    );
    Column({ type: 'jsonb', default: [] })(target, property);
  };

  /** The write input's field: the whole list, replacing the record's. */
  const input = (): PropertyDecorator => (target, property) => {
    Field(() => [TranslationInput], { nullable: true, description: 'Translations of the text (the whole list: it replaces the record\'s).' })(
      target,
      property,
    );
    Omittable()(target, property);
    IsArray()(target, property);
    ArrayMaxSize(MAX_TRANSLATIONS)(target, property);
    ValidateNested({ each: true })(target, property);
    Type(() => TranslationInput)(target, property);
    DistinctLanguages()(target, property);
    atLeastOne(target, property);
  };

  /** The `inLanguage(preferred:)` answer for `record`. */
  const resolve = (record: Translatable, preferred: readonly string[]) => inLanguage(record, names, checkedPreferred(preferred));

  return { Translation, TranslationInput, InLanguage, fields: names, column, input, resolve };
}
