import { Field } from '@nestjs/graphql';
import { IsOptional, Matches } from 'class-validator';
import { Column } from 'typeorm';
import { textMatchSql } from '../access/record-visibility';
import { Viewer } from '../access/viewer';

/**
 * Full-text search in several languages (docs/research.md, "Search").
 *
 * - Every text-bearing record carries its language (BCP 47). Its search document is built with the
 *   PostgreSQL text search configuration of that language (`vigil_search_config`: English, Russian,
 *   French, Spanish, Arabic and a few more; `vigil_simple`, which folds accents, for the rest).
 * - A query is read in every supported language at once (`vigil_search_query`): the OR of its
 *   readings, so that "похищены" finds a Russian report and "abducted" an English one, ranked by
 *   ts_rank. Exclusions (`-word`) exclude the word as any language reads it.
 * - Word forms of one root find each other: each reading is rewritten (ts_rewrite) with the word
 *   families of src/common/word-families.ts ("detention", "detained" and "detainees"), which the
 *   stemmers alone do not join.
 * - An incident's document also holds the terms of its kind (label, HURIDOCS ESF and ACLED names,
 *   in each language: `vigil_kind_terms`), with the lowest weight.
 */

/** The languages a query is read in (each a PostgreSQL configuration); `vigil_simple` for the rest. */
export const SEARCH_LANGUAGES = ['en', 'ru', 'fr', 'es', 'ar'] as const;

/** A record's language when it does not say. */
export const DEFAULT_LANGUAGE = 'en';

/** A BCP 47 language tag, as Vigil accepts them. */
export const BCP47 = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** The language of a text-bearing record: a column, a GraphQL field, and the configuration its
 * search document is built with. */
export function LanguageColumn(): PropertyDecorator {
  return (target, property) => {
    Field(() => String, { description: `BCP 47 language tag of the record's text (${DEFAULT_LANGUAGE} when not given): search reads the text in this language.` })(
      target,
      property,
    );
    Column({ type: 'text', default: DEFAULT_LANGUAGE })(target, property);
  };
}

/** The language of a write input; left out: the record's default (English). */
export function LanguageInput(): PropertyDecorator {
  return (target, property) => {
    Field(() => String, { nullable: true, description: 'BCP 47 language tag of the text (en, ru, pt-BR); en when left out.' })(target, property);
    IsOptional()(target, property);
    Matches(BCP47, { message: 'must be a BCP 47 language tag such as en, ru or pt-BR' })(target, property);
  };
}

type Weight = 'A' | 'B' | 'C' | 'D';

/** The property a column's text is stored under in a translation (`perpetrator_x` -> `perpetratorX`). */
const snakeToCamel = (column: string) => column.replace(/_([a-z])/g, (_m, c: string) => c.toUpperCase());

/** SQL of a weighted document over text columns, read in the record's language (`language`
 * column; English where the table has none): A weighs more than B in ranking. `extra` is added
 * as is (an incident's kind terms). */
type DocumentOptions = { language?: string; extra?: string; translations?: boolean };

export function searchDocumentSql(parts: [column: string, weight: Weight][], options: DocumentOptions = {}): string {
  const config = options.language ? `vigil_search_config(${options.language})` : `'english'::regconfig`;
  const document = parts.map(([column, weight]) => `setweight(to_tsvector(${config}, coalesce(${column}, '')), '${weight}')`);
  // Each translation (src/common/translations.ts) read in its own language, weighted as the original.
  if (options.translations) {
    const keys = parts.map(([column]) => `'${snakeToCamel(column)}'`).join(', ');
    const weights = parts.map(([, weight]) => `'${weight}'`).join(', ');
    document.push(`vigil_translations_vector(translations, ARRAY[${keys}], ARRAY[${weights}])`);
  }
  if (options.extra) document.push(options.extra);
  return document.join(' || ');
}

/** A stored, generated tsvector column (GIN-indexed by the entity): PostgreSQL keeps it current
 * however the row is written. Never selected into entities. */
export function SearchVectorColumn(parts: [column: string, weight: Weight][], options: DocumentOptions = {}): PropertyDecorator {
  return Column({
    type: 'tsvector',
    nullable: true,
    generatedType: 'STORED',
    asExpression: searchDocumentSql(parts, options),
    insert: false,
    update: false,
    select: false,
  });
}

/** SQL of the query for the bound parameter `param`: web-search syntax read in every supported
 * language, never a syntax error. PostgreSQL folds it to a constant when it plans the statement. */
export function searchQuerySql(param: string): string {
  return `vigil_search_query(:${param})`;
}

/** SQL: the row `alias` matches the search bound to `param`, in the search index of the viewer's
 * clearance (textMatchSql). Every full-text match is written with this, so no search reads a row
 * above the viewer's level. The caller still applies the visibility rule. */
export function searchMatchSql(alias: string, viewer: Viewer, param = 'search'): string {
  return textMatchSql(alias, 'search_vector', `@@ ${searchQuerySql(param)}`, viewer);
}
