import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search in several languages (src/common/search.ts): every text-bearing record carries its
 * language, and its search document is read with that language's configuration; an incident's
 * document holds its kind's terms; queries are read in every supported language and rewritten with
 * word families. The search columns are generated again, so their indexes (the full one and the
 * per-clearance ones of ClearanceIndexes) are built again here, in the migration's transaction:
 * adding the columns rewrites each table anyway.
 */
export class MultilingualSearch1796295709089 implements MigrationInterface {
  name = 'MultilingualSearch1796295709089';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Accents folded for the languages without a stemmer of their own (unaccent is in contrib, as
    // pg_trgm is; trusted, so the service's own role may create it).
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS unaccent`);
    await queryRunner.query(`CREATE TEXT SEARCH CONFIGURATION vigil_simple (COPY = pg_catalog.simple)`);
    await queryRunner.query(`ALTER TEXT SEARCH CONFIGURATION vigil_simple ALTER MAPPING FOR hword, hword_part, word WITH unaccent, simple`);
    // The configuration a record's text is read with, by its BCP 47 language.
    await queryRunner.query(`CREATE OR REPLACE FUNCTION vigil_search_config(language text) RETURNS regconfig LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT (CASE lower(split_part(coalesce(language, 'en'), '-', 1))
      WHEN 'en' THEN 'pg_catalog.english' WHEN 'ru' THEN 'pg_catalog.russian' WHEN 'fr' THEN 'pg_catalog.french'
      WHEN 'es' THEN 'pg_catalog.spanish' WHEN 'ar' THEN 'pg_catalog.arabic' WHEN 'de' THEN 'pg_catalog.german'
      WHEN 'it' THEN 'pg_catalog.italian' WHEN 'pt' THEN 'pg_catalog.portuguese' WHEN 'tr' THEN 'pg_catalog.turkish'
      ELSE 'vigil_simple' END)::regconfig
  $$`);
    // The terms of an incident's kind in every supported language: its label and its HURIDOCS ESF
    // term (src/incidents/incident-kind.ts, docs/vocabularies.md). ACLED's names are left out: they
    // are shared between kinds ("Violence against civilians", "Abduction/forced disappearance" for a
    // detention), so they would make one act find another.
    await queryRunner.query(`CREATE OR REPLACE FUNCTION vigil_kind_terms(kind incident_kind) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE kind
      WHEN 'DETENTION' THEN to_tsvector('pg_catalog.english', 'detention detained arbitrary arrest and detention arrest') || to_tsvector('pg_catalog.russian', 'задержание задержан арест') || to_tsvector('pg_catalog.french', 'détention détenu arrestation') || to_tsvector('pg_catalog.spanish', 'detención detenido arresto') || to_tsvector('pg_catalog.arabic', 'اعتقال احتجاز')
      WHEN 'ABDUCTION' THEN to_tsvector('pg_catalog.english', 'abduction abducted kidnapping') || to_tsvector('pg_catalog.russian', 'похищение похищены') || to_tsvector('pg_catalog.french', 'enlèvement enlevé') || to_tsvector('pg_catalog.spanish', 'secuestro secuestrado') || to_tsvector('pg_catalog.arabic', 'اختطاف')
      WHEN 'ENFORCED_DISAPPEARANCE' THEN to_tsvector('pg_catalog.english', 'enforced disappearance disappeared') || to_tsvector('pg_catalog.russian', 'насильственное исчезновение') || to_tsvector('pg_catalog.french', 'disparition forcée') || to_tsvector('pg_catalog.spanish', 'desaparición forzada') || to_tsvector('pg_catalog.arabic', 'اختفاء قسري')
      WHEN 'TORTURE_OR_ILL_TREATMENT' THEN to_tsvector('pg_catalog.english', 'torture cruel inhuman or degrading treatment ill-treatment') || to_tsvector('pg_catalog.russian', 'пытки жестокое обращение') || to_tsvector('pg_catalog.french', 'torture mauvais traitements') || to_tsvector('pg_catalog.spanish', 'tortura malos tratos') || to_tsvector('pg_catalog.arabic', 'تعذيب سوء المعاملة')
      WHEN 'SEXUAL_VIOLENCE' THEN to_tsvector('pg_catalog.english', 'sexual violence rape') || to_tsvector('pg_catalog.russian', 'сексуальное насилие изнасилование') || to_tsvector('pg_catalog.french', 'violence sexuelle viol') || to_tsvector('pg_catalog.spanish', 'violencia sexual violación') || to_tsvector('pg_catalog.arabic', 'عنف جنسي اغتصاب')
      WHEN 'KILLING' THEN to_tsvector('pg_catalog.english', 'killing killed extrajudicial execution murder') || to_tsvector('pg_catalog.russian', 'убийство внесудебная казнь') || to_tsvector('pg_catalog.french', 'meurtre exécution extrajudiciaire') || to_tsvector('pg_catalog.spanish', 'asesinato ejecución extrajudicial') || to_tsvector('pg_catalog.arabic', 'قتل إعدام خارج نطاق القضاء')
      WHEN 'THREAT_OR_HARASSMENT' THEN to_tsvector('pg_catalog.english', 'threats threat harassment intimidation') || to_tsvector('pg_catalog.russian', 'угрозы преследование') || to_tsvector('pg_catalog.french', 'menaces harcèlement') || to_tsvector('pg_catalog.spanish', 'amenazas acoso') || to_tsvector('pg_catalog.arabic', 'تهديد مضايقة')
      ELSE ''::tsvector END
  $$`);
    // Rewrite rules that join the word forms of one root (src/common/word-families.ts, synced at start).
    await queryRunner.query(`CREATE TABLE "search_word_family" ("config" regconfig NOT NULL, "target" tsquery NOT NULL, "substitute" tsquery NOT NULL)`);
    await queryRunner.query(`CREATE INDEX "search_word_family_config" ON "search_word_family" ("config")`);
    // A search read in every supported language: the OR of its readings, each rewritten with the
    // word families; every excluded word (-word) excluded as any language reads it. IMMUTABLE, so
    // that PostgreSQL folds it to a constant when it plans a statement (it reads the word families,
    // which change only when the service starts, before any statement is planned): the planner
    // then knows the query, estimates its matches from the clearance's index, and never falls back
    // to reading every row (test/access/timing.e2e-spec.ts).
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
    await queryRunner.query(`ALTER TABLE "situation" ADD "language" text NOT NULL DEFAULT 'en'`);
    await queryRunner.query(`ALTER TABLE "incident" ADD "language" text NOT NULL DEFAULT 'en'`);
    await queryRunner.query(`ALTER TABLE "advocacy_response" ADD "language" text NOT NULL DEFAULT 'en'`);
    await queryRunner.query(`ALTER TABLE "citation" ADD "language" text NOT NULL DEFAULT 'en'`);
    await queryRunner.query(`ALTER TABLE "situation" DROP COLUMN "search_vector"`);
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = current_database() AND "schema" = $3 AND "table" = $4`, ["GENERATED_COLUMN","search_vector","public","situation"]);
    await queryRunner.query(`ALTER TABLE "situation" ADD "search_vector" tsvector GENERATED ALWAYS AS (setweight(to_tsvector(vigil_search_config(language), coalesce(name, '')), 'A') || setweight(to_tsvector(vigil_search_config(language), coalesce(description, '')), 'B')) STORED`);
    await queryRunner.query(`INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), $1, $2, $3, $4, $5)`, ["public","situation","GENERATED_COLUMN","search_vector","setweight(to_tsvector(vigil_search_config(language), coalesce(name, '')), 'A') || setweight(to_tsvector(vigil_search_config(language), coalesce(description, '')), 'B')"]);
    await createSearchIndexes(queryRunner, 'situation');
    await queryRunner.query(`ALTER TABLE "incident" DROP COLUMN "search_vector"`);
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = current_database() AND "schema" = $3 AND "table" = $4`, ["GENERATED_COLUMN","search_vector","public","incident"]);
    await queryRunner.query(`ALTER TABLE "incident" ADD "search_vector" tsvector GENERATED ALWAYS AS (setweight(to_tsvector(vigil_search_config(language), coalesce(headline, '')), 'A') || setweight(to_tsvector(vigil_search_config(language), coalesce(description, '')), 'B') || setweight(vigil_kind_terms(kind), 'D')) STORED`);
    await queryRunner.query(`INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), $1, $2, $3, $4, $5)`, ["public","incident","GENERATED_COLUMN","search_vector","setweight(to_tsvector(vigil_search_config(language), coalesce(headline, '')), 'A') || setweight(to_tsvector(vigil_search_config(language), coalesce(description, '')), 'B') || setweight(vigil_kind_terms(kind), 'D')"]);
    await createSearchIndexes(queryRunner, 'incident');
    await queryRunner.query(`ALTER TABLE "advocacy_response" DROP COLUMN "search_vector"`);
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = current_database() AND "schema" = $3 AND "table" = $4`, ["GENERATED_COLUMN","search_vector","public","advocacy_response"]);
    await queryRunner.query(`ALTER TABLE "advocacy_response" ADD "search_vector" tsvector GENERATED ALWAYS AS (setweight(to_tsvector(vigil_search_config(language), coalesce(title, '')), 'A') || setweight(to_tsvector(vigil_search_config(language), coalesce(description, '')), 'B')) STORED`);
    await queryRunner.query(`INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), $1, $2, $3, $4, $5)`, ["public","advocacy_response","GENERATED_COLUMN","search_vector","setweight(to_tsvector(vigil_search_config(language), coalesce(title, '')), 'A') || setweight(to_tsvector(vigil_search_config(language), coalesce(description, '')), 'B')"]);
    await createSearchIndexes(queryRunner, 'advocacy_response');
    await queryRunner.query(`ALTER TABLE "source" DROP COLUMN "search_vector"`);
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = current_database() AND "schema" = $3 AND "table" = $4`, ["GENERATED_COLUMN","search_vector","public","source"]);
    await queryRunner.query(`ALTER TABLE "source" ADD "search_vector" tsvector GENERATED ALWAYS AS (setweight(to_tsvector(vigil_search_config(language), coalesce(title, '')), 'A') || setweight(to_tsvector(vigil_search_config(language), coalesce(publisher, '')), 'B')) STORED`);
    await queryRunner.query(`INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), $1, $2, $3, $4, $5)`, ["public","source","GENERATED_COLUMN","search_vector","setweight(to_tsvector(vigil_search_config(language), coalesce(title, '')), 'A') || setweight(to_tsvector(vigil_search_config(language), coalesce(publisher, '')), 'B')"]);
    await createSearchIndexes(queryRunner, 'source');
    await queryRunner.query(`ALTER TABLE "citation" DROP COLUMN "search_vector"`);
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = current_database() AND "schema" = $3 AND "table" = $4`, ["GENERATED_COLUMN","search_vector","public","citation"]);
    await queryRunner.query(`ALTER TABLE "citation" ADD "search_vector" tsvector GENERATED ALWAYS AS (setweight(to_tsvector(vigil_search_config(language), coalesce(claim, '')), 'A') || setweight(to_tsvector(vigil_search_config(language), coalesce(excerpt, '')), 'B')) STORED`);
    await queryRunner.query(`INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), $1, $2, $3, $4, $5)`, ["public","citation","GENERATED_COLUMN","search_vector","setweight(to_tsvector(vigil_search_config(language), coalesce(claim, '')), 'A') || setweight(to_tsvector(vigil_search_config(language), coalesce(excerpt, '')), 'B')"]);
    await createSearchIndexes(queryRunner, 'citation');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = current_database() AND "schema" = $3 AND "table" = $4`, ["GENERATED_COLUMN","search_vector","public","citation"]);
    await queryRunner.query(`ALTER TABLE "citation" DROP COLUMN "search_vector"`);
    await queryRunner.query(`INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), $1, $2, $3, $4, $5)`, ["public","citation","GENERATED_COLUMN","search_vector","setweight(to_tsvector('english', coalesce(claim, '')), 'A') || setweight(to_tsvector('english', coalesce(excerpt, '')), 'B')"]);
    await queryRunner.query(`ALTER TABLE "citation" ADD "search_vector" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', coalesce(claim, '')), 'A') || setweight(to_tsvector('english', coalesce(excerpt, '')), 'B')) STORED`);
    await createSearchIndexes(queryRunner, 'citation');
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = current_database() AND "schema" = $3 AND "table" = $4`, ["GENERATED_COLUMN","search_vector","public","source"]);
    await queryRunner.query(`ALTER TABLE "source" DROP COLUMN "search_vector"`);
    await queryRunner.query(`INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), $1, $2, $3, $4, $5)`, ["public","source","GENERATED_COLUMN","search_vector","setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(publisher, '')), 'B')"]);
    await queryRunner.query(`ALTER TABLE "source" ADD "search_vector" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(publisher, '')), 'B')) STORED`);
    await createSearchIndexes(queryRunner, 'source');
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = current_database() AND "schema" = $3 AND "table" = $4`, ["GENERATED_COLUMN","search_vector","public","advocacy_response"]);
    await queryRunner.query(`ALTER TABLE "advocacy_response" DROP COLUMN "search_vector"`);
    await queryRunner.query(`INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), $1, $2, $3, $4, $5)`, ["public","advocacy_response","GENERATED_COLUMN","search_vector","setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B')"]);
    await queryRunner.query(`ALTER TABLE "advocacy_response" ADD "search_vector" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B')) STORED`);
    await createSearchIndexes(queryRunner, 'advocacy_response');
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = current_database() AND "schema" = $3 AND "table" = $4`, ["GENERATED_COLUMN","search_vector","public","incident"]);
    await queryRunner.query(`ALTER TABLE "incident" DROP COLUMN "search_vector"`);
    await queryRunner.query(`INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), $1, $2, $3, $4, $5)`, ["public","incident","GENERATED_COLUMN","search_vector","setweight(to_tsvector('english', coalesce(headline, '')), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B')"]);
    await queryRunner.query(`ALTER TABLE "incident" ADD "search_vector" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', coalesce(headline, '')), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B')) STORED`);
    await createSearchIndexes(queryRunner, 'incident');
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = current_database() AND "schema" = $3 AND "table" = $4`, ["GENERATED_COLUMN","search_vector","public","situation"]);
    await queryRunner.query(`ALTER TABLE "situation" DROP COLUMN "search_vector"`);
    await queryRunner.query(`INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), $1, $2, $3, $4, $5)`, ["public","situation","GENERATED_COLUMN","search_vector","setweight(to_tsvector('english', coalesce(name, '')), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B')"]);
    await queryRunner.query(`ALTER TABLE "situation" ADD "search_vector" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', coalesce(name, '')), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B')) STORED`);
    await createSearchIndexes(queryRunner, 'situation');
    await queryRunner.query(`ALTER TABLE "citation" DROP COLUMN "language"`);
    await queryRunner.query(`ALTER TABLE "advocacy_response" DROP COLUMN "language"`);
    await queryRunner.query(`ALTER TABLE "incident" DROP COLUMN "language"`);
    await queryRunner.query(`ALTER TABLE "situation" DROP COLUMN "language"`);
    await queryRunner.query(`DROP FUNCTION vigil_search_query(text)`);
    await queryRunner.query(`DROP TABLE "search_word_family"`);
    await queryRunner.query(`DROP FUNCTION vigil_kind_terms(incident_kind)`);
    await queryRunner.query(`DROP FUNCTION vigil_search_config(text)`);
    await queryRunner.query(`DROP TEXT SEARCH CONFIGURATION vigil_simple`);
  }
}

/** The full search index of a table and its per-clearance ones, exactly as ClearanceIndexes builds
 * them: an index of the column as the clearance sees it, not a partial one (its statistics count). */
async function createSearchIndexes(queryRunner: QueryRunner, table: string): Promise<void> {
  await queryRunner.query(`CREATE INDEX "${table}_search" ON "${table}" USING gin ("search_vector")`);
  for (const [level, levels] of [
    ['public', `'PUBLIC'`],
    ['restricted', `'PUBLIC', 'RESTRICTED'`],
  ]) {
    const scope = `"deleted_at" IS NULL AND "confidentiality" IN (${levels})`;
    await queryRunner.query(`CREATE INDEX "${table}_search_${level}" ON "${table}" USING gin ((CASE WHEN ${scope} THEN "search_vector" END))`);
  }
}
