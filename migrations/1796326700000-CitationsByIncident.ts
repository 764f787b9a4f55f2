import { MigrationInterface, QueryRunner } from 'typeorm';

/** The citations of a set of incidents with what the timeline export reads of them (their source,
 * order and visibility), from the index alone. At a million incidents the export of one country
 * and year read a heap page for nearly every citation (3,267 pages for 6,026 citations), and its
 * pages no longer fitted the server's buffers together (bench/README.md, "Round 3: timeline export").
 * It replaces the plain index on incident_id (same leading column, so every other reader of
 * citations by incident keeps an index); declared on Citation with synchronize: false. */
export class CitationsByIncident1796326700000 implements MigrationInterface {
  name = 'CitationsByIncident1796326700000';
  /** CONCURRENTLY, so that a live database keeps taking writes while the index is built: that
   * cannot run in a transaction. A build that failed half-way leaves an invalid index, dropped
   * first when the migration runs again; the old index goes only once the new one is built. */
  transaction = false;

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS "citation_by_incident"`);
    await queryRunner.query(
      `CREATE INDEX CONCURRENTLY "citation_by_incident" ON "citation" ("incident_id") INCLUDE ("source_id", "created_at", "id", "confidentiality", "deleted_at")`,
    );
    await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS "IDX_db579d9ec0869908306d8dba3f"`);
  }

  /** Not concurrently: an undo runs in a transaction. */
  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX IF NOT EXISTS "IDX_db579d9ec0869908306d8dba3f" ON "citation" ("incident_id") `);
    await queryRunner.query(`DROP INDEX IF EXISTS "citation_by_incident"`);
  }
}
