import { MigrationInterface, QueryRunner } from 'typeorm';

/** Region names for full-text search: an incident matches a search that names its place. */
export class RegionSearch1796308510285 implements MigrationInterface {
  name = 'RegionSearch1796308510285';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "region" ADD "search_vector" tsvector GENERATED ALWAYS AS (to_tsvector('vigil_simple'::regconfig, names) || to_tsvector('vigil_simple'::regconfig, coalesce(name, ''))) STORED`);
    await queryRunner.query(`INSERT INTO "typeorm_metadata"("database", "schema", "table", "type", "name", "value") VALUES (current_database(), $1, $2, $3, $4, $5)`, ["public","region","GENERATED_COLUMN","search_vector","to_tsvector('vigil_simple'::regconfig, names) || to_tsvector('vigil_simple'::regconfig, coalesce(name, ''))"]);
    await queryRunner.query(`CREATE INDEX "region_search" ON "region" USING gin ("search_vector")`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DELETE FROM "typeorm_metadata" WHERE "type" = $1 AND "name" = $2 AND "database" = current_database() AND "schema" = $3 AND "table" = $4`, ["GENERATED_COLUMN","search_vector","public","region"]);
    await queryRunner.query(`ALTER TABLE "region" DROP COLUMN "search_vector"`);
  }
}
