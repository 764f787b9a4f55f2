import { MigrationInterface, QueryRunner } from 'typeorm';

/** The text of a record in a reader's language, for the exports' `language` parameter: the same
 * choice as inLanguage (src/common/translations.ts), tested against it. */
export class ExportInLanguage1796314758261 implements MigrationInterface {
  name = 'ExportInLanguage1796314758261';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // For each preferred tag in order: the original or a translation in exactly that language,
    // then one with the same primary subtag ("pt-BR" takes "pt"); the original before its
    // translations, translations in stored order. NULL when the original is chosen or none matches.
    await queryRunner.query(`
      CREATE FUNCTION vigil_in_language(original text, translations jsonb, preferred text[]) RETURNS jsonb
      LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
        SELECT c.t
        FROM unnest(preferred) WITH ORDINALITY AS w(tag, ord)
        CROSS JOIN (VALUES (true), (false)) AS m(exact)
        CROSS JOIN LATERAL (
          SELECT NULL::jsonb AS t, 0::bigint AS pos, original AS language
          UNION ALL
          SELECT x.e, x.k, x.e->>'language' FROM jsonb_array_elements(coalesce(translations, '[]'::jsonb)) WITH ORDINALITY AS x(e, k)
        ) c
        WHERE CASE WHEN m.exact THEN lower(c.language) = lower(w.tag)
                   ELSE split_part(lower(c.language), '-', 1) = split_part(lower(w.tag), '-', 1) END
        ORDER BY w.ord, m.exact DESC, c.pos
        LIMIT 1
      $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION vigil_in_language(text, jsonb, text[])');
  }
}
