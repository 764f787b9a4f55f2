import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Translations of records' text (src/common/translations.ts), kept in the record's row and read
 * into its search document in their own languages. The search columns are generated again, so
 * their indexes (the full one and the per-clearance ones of ClearanceIndexes) are built again here.
 */
export class Translations1796304410705 implements MigrationInterface {
  name = 'Translations1796304410705';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Kinds also answer to the ACLED event and sub-event types they are coded as
    // (INCIDENT_KIND_MAPPINGS), in English as ACLED writes them; except a sub-event type that names
    // another kind (DETENTION is coded "Abduction/forced disappearance"), so that "abducted" does
    // not find every detention.
    await queryRunner.query(`CREATE OR REPLACE FUNCTION vigil_kind_terms(kind incident_kind) RETURNS tsvector LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE kind
      WHEN 'DETENTION' THEN to_tsvector('pg_catalog.english', 'detention detained arbitrary arrest and detention arrest violence against civilians') || to_tsvector('pg_catalog.russian', 'задержание задержан арест') || to_tsvector('pg_catalog.french', 'détention détenu arrestation') || to_tsvector('pg_catalog.spanish', 'detención detenido arresto') || to_tsvector('pg_catalog.arabic', 'اعتقال احتجاز')
      WHEN 'ABDUCTION' THEN to_tsvector('pg_catalog.english', 'abduction abducted kidnapping violence against civilians abduction forced disappearance') || to_tsvector('pg_catalog.russian', 'похищение похищены') || to_tsvector('pg_catalog.french', 'enlèvement enlevé') || to_tsvector('pg_catalog.spanish', 'secuestro secuestrado') || to_tsvector('pg_catalog.arabic', 'اختطاف')
      WHEN 'ENFORCED_DISAPPEARANCE' THEN to_tsvector('pg_catalog.english', 'enforced disappearance disappeared violence against civilians abduction forced disappearance') || to_tsvector('pg_catalog.russian', 'насильственное исчезновение') || to_tsvector('pg_catalog.french', 'disparition forcée') || to_tsvector('pg_catalog.spanish', 'desaparición forzada') || to_tsvector('pg_catalog.arabic', 'اختفاء قسري')
      WHEN 'TORTURE_OR_ILL_TREATMENT' THEN to_tsvector('pg_catalog.english', 'torture cruel inhuman or degrading treatment ill-treatment violence against civilians attack') || to_tsvector('pg_catalog.russian', 'пытки жестокое обращение') || to_tsvector('pg_catalog.french', 'torture mauvais traitements') || to_tsvector('pg_catalog.spanish', 'tortura malos tratos') || to_tsvector('pg_catalog.arabic', 'تعذيب سوء المعاملة')
      WHEN 'SEXUAL_VIOLENCE' THEN to_tsvector('pg_catalog.english', 'sexual violence rape violence against civilians sexual violence') || to_tsvector('pg_catalog.russian', 'сексуальное насилие изнасилование') || to_tsvector('pg_catalog.french', 'violence sexuelle viol') || to_tsvector('pg_catalog.spanish', 'violencia sexual violación') || to_tsvector('pg_catalog.arabic', 'عنف جنسي اغتصاب')
      WHEN 'KILLING' THEN to_tsvector('pg_catalog.english', 'killing killed extrajudicial execution murder violence against civilians attack') || to_tsvector('pg_catalog.russian', 'убийство внесудебная казнь') || to_tsvector('pg_catalog.french', 'meurtre exécution extrajudiciaire') || to_tsvector('pg_catalog.spanish', 'asesinato ejecución extrajudicial') || to_tsvector('pg_catalog.arabic', 'قتل إعدام خارج نطاق القضاء')
      WHEN 'THREAT_OR_HARASSMENT' THEN to_tsvector('pg_catalog.english', 'threats threat harassment intimidation strategic developments') || to_tsvector('pg_catalog.russian', 'угрозы преследование') || to_tsvector('pg_catalog.french', 'menaces harcèlement') || to_tsvector('pg_catalog.spanish', 'amenazas acoso') || to_tsvector('pg_catalog.arabic', 'تهديد مضايقة')
      WHEN 'OTHER' THEN to_tsvector('pg_catalog.english', 'strategic developments')
      ELSE ''::tsvector END
  $$`);
    // Each translation's fields, weighted as the original's, read in the translation's language.
    await queryRunner.query(`CREATE FUNCTION vigil_translations_vector(translations jsonb, keys text[], weights text[]) RETURNS tsvector LANGUAGE plpgsql IMMUTABLE PARALLEL SAFE AS $$
    DECLARE
      t jsonb;
      document tsvector := ''::tsvector;
    BEGIN
      IF translations IS NULL OR jsonb_typeof(translations) <> 'array' THEN RETURN document; END IF;
      FOR t IN SELECT value FROM jsonb_array_elements(translations) LOOP
        FOR i IN 1 .. array_length(keys, 1) LOOP
          document := document || setweight(to_tsvector(vigil_search_config(t->>'language'), coalesce(t->>keys[i], '')), weights[i]::"char");
        END LOOP;
      END LOOP;
      RETURN document;
    END
  $$`);
    await queryRunner.query(`ALTER TABLE "situation" ADD "translations" jsonb NOT NULL DEFAULT '[]'::jsonb`);
    await queryRunner.query(`ALTER TABLE "incident" ADD "translations" jsonb NOT NULL DEFAULT '[]'::jsonb`);
    await queryRunner.query(`ALTER TABLE "advocacy_response" ADD "translations" jsonb NOT NULL DEFAULT '[]'::jsonb`);
    await queryRunner.query(`ALTER TABLE "citation" ADD "translations" jsonb NOT NULL DEFAULT '[]'::jsonb`);
    await queryRunner.query(`DROP INDEX "public"."situation_search"`);
    await queryRunner.query(`ALTER TABLE "situation" DROP COLUMN "search_vector"`);
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = current_database() AND "schema" = $3 AND "table" = $4`, ["GENERATED_COLUMN","search_vector","public","situation"]);
    await queryRunner.query(`ALTER TABLE "situation" ADD "search_vector" tsvector GENERATED ALWAYS AS (setweight(to_tsvector(vigil_search_config(language), coalesce(name, '')), 'A') || setweight(to_tsvector(vigil_search_config(language), coalesce(description, '')), 'B') || vigil_translations_vector(translations, ARRAY['name', 'description'], ARRAY['A', 'B'])) STORED`);
    await queryRunner.query(`INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), $1, $2, $3, $4, $5)`, ["public","situation","GENERATED_COLUMN","search_vector","setweight(to_tsvector(vigil_search_config(language), coalesce(name, '')), 'A') || setweight(to_tsvector(vigil_search_config(language), coalesce(description, '')), 'B') || vigil_translations_vector(translations, ARRAY['name', 'description'], ARRAY['A', 'B'])"]);
    await createSearchIndexes(queryRunner, 'situation');
    await queryRunner.query(`DROP INDEX "public"."incident_search"`);
    await queryRunner.query(`ALTER TABLE "incident" DROP COLUMN "search_vector"`);
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = current_database() AND "schema" = $3 AND "table" = $4`, ["GENERATED_COLUMN","search_vector","public","incident"]);
    await queryRunner.query(`ALTER TABLE "incident" ADD "search_vector" tsvector GENERATED ALWAYS AS (setweight(to_tsvector(vigil_search_config(language), coalesce(headline, '')), 'A') || setweight(to_tsvector(vigil_search_config(language), coalesce(description, '')), 'B') || vigil_translations_vector(translations, ARRAY['headline', 'description'], ARRAY['A', 'B']) || setweight(vigil_kind_terms(kind), 'D')) STORED`);
    await queryRunner.query(`INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), $1, $2, $3, $4, $5)`, ["public","incident","GENERATED_COLUMN","search_vector","setweight(to_tsvector(vigil_search_config(language), coalesce(headline, '')), 'A') || setweight(to_tsvector(vigil_search_config(language), coalesce(description, '')), 'B') || vigil_translations_vector(translations, ARRAY['headline', 'description'], ARRAY['A', 'B']) || setweight(vigil_kind_terms(kind), 'D')"]);
    await createSearchIndexes(queryRunner, 'incident');
    await queryRunner.query(`DROP INDEX "public"."advocacy_response_search"`);
    await queryRunner.query(`ALTER TABLE "advocacy_response" DROP COLUMN "search_vector"`);
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = current_database() AND "schema" = $3 AND "table" = $4`, ["GENERATED_COLUMN","search_vector","public","advocacy_response"]);
    await queryRunner.query(`ALTER TABLE "advocacy_response" ADD "search_vector" tsvector GENERATED ALWAYS AS (setweight(to_tsvector(vigil_search_config(language), coalesce(title, '')), 'A') || setweight(to_tsvector(vigil_search_config(language), coalesce(description, '')), 'B') || vigil_translations_vector(translations, ARRAY['title', 'description'], ARRAY['A', 'B'])) STORED`);
    await queryRunner.query(`INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), $1, $2, $3, $4, $5)`, ["public","advocacy_response","GENERATED_COLUMN","search_vector","setweight(to_tsvector(vigil_search_config(language), coalesce(title, '')), 'A') || setweight(to_tsvector(vigil_search_config(language), coalesce(description, '')), 'B') || vigil_translations_vector(translations, ARRAY['title', 'description'], ARRAY['A', 'B'])"]);
    await createSearchIndexes(queryRunner, 'advocacy_response');
    await queryRunner.query(`DROP INDEX "public"."citation_search"`);
    await queryRunner.query(`ALTER TABLE "citation" DROP COLUMN "search_vector"`);
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = current_database() AND "schema" = $3 AND "table" = $4`, ["GENERATED_COLUMN","search_vector","public","citation"]);
    await queryRunner.query(`ALTER TABLE "citation" ADD "search_vector" tsvector GENERATED ALWAYS AS (setweight(to_tsvector(vigil_search_config(language), coalesce(claim, '')), 'A') || setweight(to_tsvector(vigil_search_config(language), coalesce(excerpt, '')), 'B') || vigil_translations_vector(translations, ARRAY['claim', 'excerpt'], ARRAY['A', 'B'])) STORED`);
    await queryRunner.query(`INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), $1, $2, $3, $4, $5)`, ["public","citation","GENERATED_COLUMN","search_vector","setweight(to_tsvector(vigil_search_config(language), coalesce(claim, '')), 'A') || setweight(to_tsvector(vigil_search_config(language), coalesce(excerpt, '')), 'B') || vigil_translations_vector(translations, ARRAY['claim', 'excerpt'], ARRAY['A', 'B'])"]);
    await createSearchIndexes(queryRunner, 'citation');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
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
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = current_database() AND "schema" = $3 AND "table" = $4`, ["GENERATED_COLUMN","search_vector","public","citation"]);
    await queryRunner.query(`ALTER TABLE "citation" DROP COLUMN "search_vector"`);
    await queryRunner.query(`INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), $1, $2, $3, $4, $5)`, ["public","citation","GENERATED_COLUMN","search_vector","setweight(to_tsvector(vigil_search_config(language), coalesce(claim, '')), 'A') || setweight(to_tsvector(vigil_search_config(language), coalesce(excerpt, '')), 'B')"]);
    await queryRunner.query(`ALTER TABLE "citation" ADD "search_vector" tsvector GENERATED ALWAYS AS (setweight(to_tsvector(vigil_search_config(language), coalesce(claim, '')), 'A') || setweight(to_tsvector(vigil_search_config(language), coalesce(excerpt, '')), 'B')) STORED`);
    await createSearchIndexes(queryRunner, 'citation');
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = current_database() AND "schema" = $3 AND "table" = $4`, ["GENERATED_COLUMN","search_vector","public","advocacy_response"]);
    await queryRunner.query(`ALTER TABLE "advocacy_response" DROP COLUMN "search_vector"`);
    await queryRunner.query(`INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), $1, $2, $3, $4, $5)`, ["public","advocacy_response","GENERATED_COLUMN","search_vector","setweight(to_tsvector(vigil_search_config(language), coalesce(title, '')), 'A') || setweight(to_tsvector(vigil_search_config(language), coalesce(description, '')), 'B')"]);
    await queryRunner.query(`ALTER TABLE "advocacy_response" ADD "search_vector" tsvector GENERATED ALWAYS AS (setweight(to_tsvector(vigil_search_config(language), coalesce(title, '')), 'A') || setweight(to_tsvector(vigil_search_config(language), coalesce(description, '')), 'B')) STORED`);
    await createSearchIndexes(queryRunner, 'advocacy_response');
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = current_database() AND "schema" = $3 AND "table" = $4`, ["GENERATED_COLUMN","search_vector","public","incident"]);
    await queryRunner.query(`ALTER TABLE "incident" DROP COLUMN "search_vector"`);
    await queryRunner.query(`INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), $1, $2, $3, $4, $5)`, ["public","incident","GENERATED_COLUMN","search_vector","setweight(to_tsvector(vigil_search_config(language), coalesce(headline, '')), 'A') || setweight(to_tsvector(vigil_search_config(language), coalesce(description, '')), 'B') || setweight(vigil_kind_terms(kind), 'D')"]);
    await queryRunner.query(`ALTER TABLE "incident" ADD "search_vector" tsvector GENERATED ALWAYS AS (setweight(to_tsvector(vigil_search_config(language), coalesce(headline, '')), 'A') || setweight(to_tsvector(vigil_search_config(language), coalesce(description, '')), 'B') || setweight(vigil_kind_terms(kind), 'D')) STORED`);
    await createSearchIndexes(queryRunner, 'incident');
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = current_database() AND "schema" = $3 AND "table" = $4`, ["GENERATED_COLUMN","search_vector","public","situation"]);
    await queryRunner.query(`ALTER TABLE "situation" DROP COLUMN "search_vector"`);
    await queryRunner.query(`INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), $1, $2, $3, $4, $5)`, ["public","situation","GENERATED_COLUMN","search_vector","setweight(to_tsvector(vigil_search_config(language), coalesce(name, '')), 'A') || setweight(to_tsvector(vigil_search_config(language), coalesce(description, '')), 'B')"]);
    await queryRunner.query(`ALTER TABLE "situation" ADD "search_vector" tsvector GENERATED ALWAYS AS (setweight(to_tsvector(vigil_search_config(language), coalesce(name, '')), 'A') || setweight(to_tsvector(vigil_search_config(language), coalesce(description, '')), 'B')) STORED`);
    await createSearchIndexes(queryRunner, 'situation');
    await queryRunner.query(`ALTER TABLE "citation" DROP COLUMN "translations"`);
    await queryRunner.query(`ALTER TABLE "advocacy_response" DROP COLUMN "translations"`);
    await queryRunner.query(`ALTER TABLE "incident" DROP COLUMN "translations"`);
    await queryRunner.query(`ALTER TABLE "situation" DROP COLUMN "translations"`);
    await queryRunner.query(`DROP FUNCTION vigil_translations_vector(jsonb, text[], text[])`);
  }
}

/** The full search index of a table and its per-clearance ones, exactly as ClearanceIndexes builds
 * them (as MultilingualSearch does): an index of the column as the clearance sees it. */
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
