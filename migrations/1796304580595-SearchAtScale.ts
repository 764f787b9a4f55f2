import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search at scale (bench/README.md, "Search at scale").
 *
 * A cheaper search query (src/common/search.ts), with the same matches:
 * - A reading that adds nothing is left out: one already taken (Spanish and Russian read "detained
 *   prison" as English does), or one with the same words as a reading taken before and no word
 *   family of its own (that reading's families only added alternatives to those words). Before,
 *   only a reading identical to everything taken so far was left out, and the OR of near-identical
 *   conjunctions left GIN no word every match must hold: it walked every posting list.
 * - Word families are applied to the words the reading holds, each rule once, in a loop whose plan
 *   PL/pgSQL keeps: ts_rewrite with a query text planned its SELECT at every call and rewrote the
 *   alternatives it had just added again ('detain' four times).
 * - An excluded word is excluded once per distinct reading.
 * PostgreSQL folds the function once per occurrence in a statement when it plans it, so its cost is
 * paid four times per search: about a third of what it was.
 *
 * The sources each clearance may not see (deleted, or above it), indexed by id: the visibility rule
 * drops a citation whose source is hidden with an anti-join (record-visibility.ts), which hashed
 * them from a scan of every source for each search (half of what a search read at 200,000
 * incidents); an index-only scan of these now. Each predicate is the rule's own expression for
 * that clearance, so the planner can prove the index applies. Editors see every level: none.
 */
export class SearchAtScale1796304580595 implements MigrationInterface {
  name = 'SearchAtScale1796304580595';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const [level, levels] of HIDDEN_SOURCE_INDEXES) {
      await queryRunner.query(`CREATE INDEX "source_hidden_${level}" ON "source" ("id") WHERE "deleted_at" IS NOT NULL OR ("confidentiality" IN (${levels})) IS NOT TRUE`);
    }
    await queryRunner.query(`CREATE OR REPLACE FUNCTION vigil_search_query(search text) RETURNS tsquery LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
    DECLARE
      configs regconfig[] := ARRAY['pg_catalog.english', 'pg_catalog.russian', 'pg_catalog.french', 'pg_catalog.spanish', 'pg_catalog.arabic', 'vigil_simple']::regconfig[];
      exclusion text := '(^|\\s)-("[^"]*"?|[^\\s"]+)';
      positive text := regexp_replace(coalesce(search, ''), exclusion, ' ', 'g');
      cfg regconfig;
      words tsquery;
      reading tsquery;
      rule record;
      taken_words text[] := '{}';
      taken text[] := '{}';
      found tsquery;
      excluded text;
      excluded_readings text[];
      result tsquery;
    BEGIN
      FOREACH cfg IN ARRAY configs LOOP
        words := websearch_to_tsquery(cfg, positive);
        CONTINUE WHEN numnode(words) = 0;
        reading := words;
        FOR rule IN SELECT target, substitute FROM search_word_family WHERE search_word_family.config = cfg AND words @> target LOOP
          reading := ts_rewrite(reading, rule.target, rule.substitute);
        END LOOP;
        CONTINUE WHEN reading::text = ANY (taken)
          OR (reading::text = words::text AND words::text = ANY (taken_words));
        taken_words := taken_words || words::text;
        taken := taken || reading::text;
        result := CASE WHEN result IS NULL THEN reading ELSE result || reading END;
      END LOOP;
      IF result IS NULL THEN RETURN ''::tsquery; END IF;
      FOR excluded IN SELECT m[2] FROM regexp_matches(coalesce(search, ''), exclusion, 'g') AS m LOOP
        found := NULL;
        excluded_readings := '{}';
        FOREACH cfg IN ARRAY configs LOOP
          reading := websearch_to_tsquery(cfg, excluded);
          CONTINUE WHEN numnode(reading) = 0 OR (found IS NOT NULL AND reading::text = ANY (excluded_readings));
          excluded_readings := excluded_readings || reading::text;
          found := CASE WHEN found IS NULL THEN reading ELSE found || reading END;
        END LOOP;
        IF found IS NOT NULL THEN result := result && !! found; END IF;
      END LOOP;
      RETURN result;
    END
  $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const [level] of HIDDEN_SOURCE_INDEXES) await queryRunner.query(`DROP INDEX "source_hidden_${level}"`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION vigil_search_query(search text) RETURNS tsquery LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
    DECLARE
      configs regconfig[] := ARRAY['pg_catalog.english', 'pg_catalog.russian', 'pg_catalog.french', 'pg_catalog.spanish', 'pg_catalog.arabic', 'vigil_simple']::regconfig[];
      exclusion text := '(^|\\s)-("[^"]*"?|[^\\s"]+)';
      positive text := regexp_replace(coalesce(search, ''), exclusion, ' ', 'g');
      config regconfig;
      reading tsquery;
      found tsquery;
      excluded text;
      result tsquery;
    BEGIN
      FOREACH config IN ARRAY configs LOOP
        reading := websearch_to_tsquery(config, positive);
        CONTINUE WHEN numnode(reading) = 0;
        reading := ts_rewrite(reading, format('SELECT target, substitute FROM search_word_family WHERE config = %L::regconfig', config));
        -- A reading with the same words as one already taken adds nothing but a worse estimate.
        CONTINUE WHEN result IS NOT NULL AND result @> reading AND reading @> result;
        result := CASE WHEN result IS NULL THEN reading ELSE result || reading END;
      END LOOP;
      IF result IS NULL THEN RETURN ''::tsquery; END IF;
      FOR excluded IN SELECT m[2] FROM regexp_matches(coalesce(search, ''), exclusion, 'g') AS m LOOP
        found := NULL;
        FOREACH config IN ARRAY configs LOOP
          reading := websearch_to_tsquery(config, excluded);
          CONTINUE WHEN numnode(reading) = 0;
          found := CASE WHEN found IS NULL THEN reading ELSE found || reading END;
        END LOOP;
        IF found IS NOT NULL THEN result := result && !! found; END IF;
      END LOOP;
      RETURN result;
    END
  $$`);
  }
}

/** Index suffix and the levels the clearance reads (as levelsParam binds them for the rule). */
const HIDDEN_SOURCE_INDEXES: [string, string][] = [
  ['public', `'PUBLIC'`],
  ['restricted', `'PUBLIC', 'RESTRICTED'`],
];
