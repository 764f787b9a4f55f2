import { Field, ID, ObjectType } from '@nestjs/graphql';
import { AUDITED_AS } from '../access/access-recorder';
import { AccessLevel } from '../access/access-level';
import { readableProperties } from '../access/field-access';
import { leastClearanceSql, visibleCondition } from '../access/record-visibility';
import { Viewer } from '../access/viewer';
import { UserInputError } from './errors';

/**
 * The matched passage of a search result (docs/research.md, "Search"): where the words matched,
 * from the text the viewer may read, as PostgreSQL's ts_headline marks it.
 *
 * - Candidates are the record's own text, its translations, and the text of its visible citations
 *   (their translations too), each read with its own language's configuration; the best-ranked
 *   match is shown. A field the viewer may not read (src/access/, @Sensitive) is never a
 *   candidate, and a citation is one only when the visibility rule lets the viewer see it.
 * - The passage names the record it came from and that record's level (`confidentiality`), so a
 *   passage from a record above PUBLIC is audited like the record itself (src/access/graphql-access.ts).
 * - Matched words come as parts (`matched: true`), not as markup, so a page never has to insert
 *   HTML it was sent.
 */

@ObjectType({ description: 'A piece of a passage: matched words, or the text around them.' })
export class PassagePart {
  @Field()
  text!: string;

  @Field({ description: 'True for words the search matched.' })
  matched!: boolean;
}

@ObjectType({ description: 'Where a search matched a record: a short passage of text you may read, with the matched words marked.' })
export class MatchedPassage {
  @Field({ description: 'The passage as plain text; fragments are joined with " … ".' })
  text!: string;

  @Field(() => [PassagePart], { description: 'The passage in parts, matched words apart.' })
  parts!: PassagePart[];

  @Field({ description: 'The field it is from: headline, description, title, name, claim or excerpt.' })
  field!: string;

  @Field({ description: 'The language of the passage (BCP 47).' })
  language!: string;

  @Field({ description: 'True when the passage is from a translation (see translations).' })
  isTranslation!: boolean;

  @Field({ description: 'The type of the record the passage is from: the result itself, or one of its citations (Citation).' })
  recordType!: string;

  @Field(() => ID)
  recordId!: string;

  @Field(() => AccessLevel, { description: 'Who may see the record the passage is from.' })
  confidentiality!: AccessLevel;
}

/** Marks ts_headline puts around matched words and between fragments: control characters, taken
 * out of the text first, so text can never forge a mark. */
const START = '\u0001';
const STOP = '\u0002';
const FRAGMENT = '\u0003';
export const HEADLINE_OPTIONS = `StartSel=${START}, StopSel=${STOP}, FragmentDelimiter=${FRAGMENT}, MaxFragments=2, MaxWords=30, MinWords=12`;
const UNMARKED = `translate(%s, E'\\x01\\x02\\x03', '')`;

/** A passage as ts_headline marked it, in parts. Pure. */
export function passageParts(marked: string): PassagePart[] {
  const parts: PassagePart[] = [];
  const push = (text: string, matched: boolean) => {
    if (!text) return;
    const last = parts.at(-1);
    if (last && last.matched === matched) last.text += text;
    else parts.push({ text, matched });
  };
  for (const [i, fragment] of marked.split(FRAGMENT).entries()) {
    if (i > 0) push(' … ', false);
    for (const piece of fragment.split(START)) {
      const stop = piece.indexOf(STOP);
      if (stop < 0) push(piece, false);
      else {
        push(piece.slice(0, stop), true);
        push(piece.slice(stop + 1).replaceAll(STOP, ''), false);
      }
    }
  }
  return parts;
}

/** The longest search a passage is asked for (as IncidentFilter.search). */
const MAX_SEARCH = 500;

export function checkedSearch(search: string): string | null {
  if (search.length > MAX_SEARCH) throw UserInputError.of('search', `must be at most ${MAX_SEARCH} characters`);
  return search.trim() === '' ? null : search;
}

/** A record type whose text, translations and citations are candidates. */
export interface PassageSubject {
  entity: Function;
  name: string;
  table: string;
  /** Its translatable text columns (as properties; the translations use the same names). */
  fields: readonly string[];
  /** The citation column that refers to it. */
  citedBy: string;
}

/** The citation entity and its text (passed in to keep this module free of entity imports). */
export interface CitationText {
  entity: Function;
  fields: readonly string[];
}

const column = (property: string) => property.replace(/[A-Z]/g, (c) => `_${c.toLowerCase()}`);

/** SQL of the best passage of each record of `subject` whose id is in `:ids`, for the search bound
 * to `:search`, from what `viewer` may read; levels bound to `:...levels`. Columns: subject,
 * record_type, record_id, field, language, is_translation, level, marked. */
export function passagesSql(subject: PassageSubject, citation: CitationText, viewer: Viewer, levels: string): string {
  const candidates: string[] = [];
  const add = (alias: string, type: string, entity: Function, fields: readonly string[], from: string, where: string, priority: number) => {
    const own = readableProperties(viewer, entity, fields);
    const level = `${leastClearanceSql(type, alias)}`;
    const subjectId = type === 'Citation' ? `${alias}.${column(subject.citedBy)}` : `${alias}.id`;
    const values = (text: (field: string) => string) => own.map((f, i) => `('${f}', ${text(f)}, ${priority + i})`).join(', ');
    if (own.length) {
      candidates.push(
        `SELECT ${subjectId} AS subject, '${type}' AS record_type, ${alias}.id AS record_id, f.field, ${alias}.language AS language, false AS is_translation, ` +
          `f.text, ${level} AS level, f.priority FROM ${from} CROSS JOIN LATERAL (VALUES ${values((f) => `${alias}.${column(f)}`)}) f(field, text, priority) WHERE ${where}`,
      );
    }
    if (readableProperties(viewer, entity, ['translations']).length && own.length) {
      candidates.push(
        `SELECT ${subjectId}, '${type}', ${alias}.id, f.field, t.value->>'language', true, f.text, ${level}, f.priority + 10 ` +
          `FROM ${from} CROSS JOIN LATERAL jsonb_array_elements(${alias}.translations) t ` +
          `CROSS JOIN LATERAL (VALUES ${values((f) => `t.value->>'${f}'`)}) f(field, text, priority) WHERE ${where}`,
      );
    }
  };
  add('p', subject.name, subject.entity, subject.fields, `${subject.table} p`, `p.id = ANY(:ids) AND ${visibleCondition(subject.name, 'p', levels)}`, 0);
  add(
    'c',
    'Citation',
    citation.entity,
    citation.fields,
    'citation c',
    `c.${column(subject.citedBy)} = ANY(:ids) AND ${visibleCondition('Citation', 'c', levels, { referenceSet: column(subject.citedBy) })}`,
    20,
  );
  const document = `to_tsvector(vigil_search_config(d.language), d.text)`;
  return (
    `WITH q AS MATERIALIZED (SELECT vigil_search_query(:search) AS query), ` +
    `best AS (SELECT DISTINCT ON (d.subject) d.* FROM (${candidates.join(' UNION ALL ')}) d, q ` +
    `WHERE d.text IS NOT NULL AND ${document} @@ q.query ORDER BY d.subject, ts_rank(${document}, q.query) DESC, d.priority) ` +
    `SELECT b.subject, b.record_type, b.record_id, b.field, b.language, b.is_translation, b.level, ` +
    `ts_headline(vigil_search_config(b.language), ${UNMARKED.replace('%s', 'b.text')}, q.query, '${HEADLINE_OPTIONS}') AS marked FROM best b, q`
  );
}

/** A row of passagesSql as the GraphQL type. */
export function passageOf(row: {
  record_type: string;
  record_id: string;
  field: string;
  language: string;
  is_translation: boolean;
  level: AccessLevel;
  marked: string;
}): MatchedPassage & { id: string; [AUDITED_AS]: string } {
  const parts = passageParts(row.marked);
  // Audited as the record it quotes (id and type), like that record itself.
  return {
    id: row.record_id,
    [AUDITED_AS]: row.record_type,
    text: parts.map((p) => p.text).join(''),
    parts,
    field: row.field,
    language: row.language,
    isTranslation: row.is_translation,
    recordType: row.record_type,
    recordId: row.record_id,
    confidentiality: row.level,
  };
}
