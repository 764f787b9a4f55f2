import { MigrationInterface, QueryRunner } from 'typeorm';

export class ResearchApi1795434966739 implements MigrationInterface {
  name = 'ResearchApi1795434966739';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "situation" ADD "search_vector" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', coalesce(name, '')), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B')) STORED`);
    await queryRunner.query(`INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), $1, $2, $3, $4, $5)`, ["public","situation","GENERATED_COLUMN","search_vector","setweight(to_tsvector('english', coalesce(name, '')), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B')"]);
    await queryRunner.query(`ALTER TABLE "incident" ADD "search_vector" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', coalesce(headline, '')), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B')) STORED`);
    await queryRunner.query(`INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), $1, $2, $3, $4, $5)`, ["public","incident","GENERATED_COLUMN","search_vector","setweight(to_tsvector('english', coalesce(headline, '')), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B')"]);
    await queryRunner.query(`ALTER TABLE "advocacy_response" ADD "search_vector" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B')) STORED`);
    await queryRunner.query(`INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), $1, $2, $3, $4, $5)`, ["public","advocacy_response","GENERATED_COLUMN","search_vector","setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(description, '')), 'B')"]);
    await queryRunner.query(`ALTER TABLE "source" ADD "published_latest" date GENERATED ALWAYS AS (CASE WHEN published_open_end THEN 'infinity'::date WHEN published_precision = 'DAY' THEN coalesce(published_end, published_start) WHEN published_precision = 'MONTH' THEN (date_trunc('month', coalesce(published_end, published_start)::timestamp) + interval '1 month - 1 day')::date ELSE (date_trunc('year', coalesce(published_end, published_start)::timestamp) + interval '1 year - 1 day')::date END) STORED`);
    await queryRunner.query(`INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), $1, $2, $3, $4, $5)`, ["public","source","GENERATED_COLUMN","published_latest","CASE WHEN published_open_end THEN 'infinity'::date WHEN published_precision = 'DAY' THEN coalesce(published_end, published_start) WHEN published_precision = 'MONTH' THEN (date_trunc('month', coalesce(published_end, published_start)::timestamp) + interval '1 month - 1 day')::date ELSE (date_trunc('year', coalesce(published_end, published_start)::timestamp) + interval '1 year - 1 day')::date END"]);
    await queryRunner.query(`ALTER TABLE "source" ADD "search_vector" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(publisher, '')), 'B')) STORED`);
    await queryRunner.query(`INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), $1, $2, $3, $4, $5)`, ["public","source","GENERATED_COLUMN","search_vector","setweight(to_tsvector('english', coalesce(title, '')), 'A') || setweight(to_tsvector('english', coalesce(publisher, '')), 'B')"]);
    await queryRunner.query(`ALTER TABLE "citation" ADD "search_vector" tsvector GENERATED ALWAYS AS (setweight(to_tsvector('english', coalesce(claim, '')), 'A') || setweight(to_tsvector('english', coalesce(excerpt, '')), 'B')) STORED`);
    await queryRunner.query(`INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), $1, $2, $3, $4, $5)`, ["public","citation","GENERATED_COLUMN","search_vector","setweight(to_tsvector('english', coalesce(claim, '')), 'A') || setweight(to_tsvector('english', coalesce(excerpt, '')), 'B')"]);
    await queryRunner.query(`CREATE INDEX "IDX_7f6017843f5232bc770d1d3376" ON "source" ("published_latest") `);
    // Added by hand: indexes TypeORM cannot declare (GIN, trigram, expressions). The entities name
    // them with synchronize: false, so schema checks leave them alone.
    await queryRunner.query(`CREATE EXTENSION IF NOT EXISTS pg_trgm`);
    for (const table of ['incident', 'citation', 'advocacy_response', 'situation', 'source']) {
      await queryRunner.query(`CREATE INDEX "${table}_search" ON "${table}" USING gin ("search_vector")`);
    }
    await queryRunner.query(`CREATE INDEX "incident_perpetrator_trgm" ON "incident" USING gin ("perpetrator_description" gin_trgm_ops)`);
    await queryRunner.query(`CREATE INDEX "source_publisher_trgm" ON "source" USING gin ("publisher" gin_trgm_ops)`);
    await queryRunner.query(`CREATE INDEX "incident_region_date" ON "incident" ("region_code", "date_start" DESC, "id" DESC)`);
    await queryRunner.query(`CREATE INDEX "incident_updated_order" ON "incident" ("updated_at" DESC, "id" DESC)`);
    await queryRunner.query(`CREATE INDEX "incident_victims_order" ON "incident" ((coalesce("victims_best", "victims_at_least", "victims_at_most", -1)) DESC, "id" DESC)`);
    await queryRunner.query(`CREATE INDEX "incident_deaths_order" ON "incident" ((coalesce("deaths_best", "deaths_at_least", "deaths_at_most", -1)) DESC, "id" DESC)`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const index of ['incident_deaths_order', 'incident_victims_order', 'incident_updated_order', 'incident_region_date', 'source_publisher_trgm', 'incident_perpetrator_trgm']) {
      await queryRunner.query(`DROP INDEX "${index}"`);
    }
    for (const table of ['incident', 'citation', 'advocacy_response', 'situation', 'source']) {
      await queryRunner.query(`DROP INDEX "${table}_search"`);
    }
    await queryRunner.query(`DROP INDEX "public"."IDX_7f6017843f5232bc770d1d3376"`);
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = current_database() AND "schema" = $3 AND "table" = $4`, ["GENERATED_COLUMN","search_vector","public","citation"]);
    await queryRunner.query(`ALTER TABLE "citation" DROP COLUMN "search_vector"`);
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = current_database() AND "schema" = $3 AND "table" = $4`, ["GENERATED_COLUMN","search_vector","public","source"]);
    await queryRunner.query(`ALTER TABLE "source" DROP COLUMN "search_vector"`);
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = current_database() AND "schema" = $3 AND "table" = $4`, ["GENERATED_COLUMN","published_latest","public","source"]);
    await queryRunner.query(`ALTER TABLE "source" DROP COLUMN "published_latest"`);
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = current_database() AND "schema" = $3 AND "table" = $4`, ["GENERATED_COLUMN","search_vector","public","advocacy_response"]);
    await queryRunner.query(`ALTER TABLE "advocacy_response" DROP COLUMN "search_vector"`);
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = current_database() AND "schema" = $3 AND "table" = $4`, ["GENERATED_COLUMN","search_vector","public","incident"]);
    await queryRunner.query(`ALTER TABLE "incident" DROP COLUMN "search_vector"`);
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = current_database() AND "schema" = $3 AND "table" = $4`, ["GENERATED_COLUMN","search_vector","public","situation"]);
    await queryRunner.query(`ALTER TABLE "situation" DROP COLUMN "search_vector"`);
  }
}
