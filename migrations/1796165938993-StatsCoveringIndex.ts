import { MigrationInterface, QueryRunner } from 'typeorm';

/** The columns the aggregates (incidentStats: counts, victims and deaths by month, year, kind) read,
 * by region, for the live incidents: an index-only scan instead of one random heap read per
 * incident (bench/README.md, "monthly"). Declared on Incident with synchronize: false. */
export class StatsCoveringIndex1796165938993 implements MigrationInterface {
  name = 'StatsCoveringIndex1796165938993';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE INDEX "incident_region_stats" ON "incident" ("region_code") INCLUDE ("id", "confidentiality", "kind", "date_start", "date_latest", ` +
        `"victims_at_least", "victims_at_most", "victims_best", "deaths_at_least", "deaths_at_most", "deaths_best") WHERE "deleted_at" IS NULL`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX "incident_region_stats"`);
  }
}
