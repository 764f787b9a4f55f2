import { MigrationInterface, QueryRunner } from 'typeorm';

/** The columns the aggregates (incidentStats: counts, victims and deaths by month, year, kind) read,
 * by region, for the live incidents: an index-only scan instead of one random heap read per
 * incident (bench/README.md, "monthly"). Declared on Incident with synchronize: false. */
export class StatsCoveringIndex1796165938993 implements MigrationInterface {
  name = 'StatsCoveringIndex1796165938993';
  /** CONCURRENTLY, so that a live database keeps taking writes while the index is built (seconds
   * at a million incidents): that cannot run in a transaction. A build that failed half-way leaves
   * an invalid index, dropped first when the migration runs again. */
  transaction = false;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS "incident_region_stats"`);
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY "incident_region_stats" ON "incident" ("region_code") INCLUDE ("id", "confidentiality", "kind", "date_start", "date_latest", ` +
        `"victims_at_least", "victims_at_most", "victims_best", "deaths_at_least", "deaths_at_most", "deaths_best") WHERE "deleted_at" IS NULL`,
    );
  }

  /** Not concurrently: an undo runs in a transaction, and dropping an index is quick. */
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX IF EXISTS "incident_region_stats"`);
  }
}
