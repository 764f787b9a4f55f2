import { MigrationInterface, QueryRunner } from 'typeorm';

/** The text indexes of search and of the trigram filters, once more per clearance, on the column as
 * a viewer of that clearance sees it: its value for the rows the clearance reads by their own level
 * (not deleted, and PUBLIC; or PUBLIC or RESTRICTED), null for the others. A search looks its
 * matches up in the index of the viewer's clearance (textMatchSql in
 * src/access/record-visibility.ts writes the same expression into the query), so matches the
 * viewer may not see are never read, and PostgreSQL's statistics of the expression, which choose
 * the plan, do not count them: the time a search takes no longer tells whether hidden records match
 * it (issue 14, class 4; docs/access.md, "Timing"). Editors keep the full indexes. Declared on the
 * entities with ClearanceIndexes (synchronize: false). */
export class ClearanceIndexes1796293369609 implements MigrationInterface {
  name = 'ClearanceIndexes1796293369609';
  /** CONCURRENTLY, so that a live database keeps taking writes while the indexes are built: that
   * cannot run in a transaction. A build that failed half-way leaves an invalid index, dropped
   * first when the migration runs again. */
  transaction = false;

  public async up(queryRunner: QueryRunner): Promise<void> {
    // Fourteen GIN builds over every incident, citation and source: minutes at a million incidents,
    // beyond the service's statement timeout. Index builds, not requests: no timeout, and the
    // memory that makes a GIN build fast. Both reset afterwards, for the connection's next user.
    await queryRunner.query(`SET statement_timeout = 0`);
    await queryRunner.query(`SET maintenance_work_mem = '256MB'`);
    try {
      await this.build(queryRunner);
    } finally {
      await queryRunner.query(`RESET statement_timeout`);
      await queryRunner.query(`RESET maintenance_work_mem`);
    }
  }

  private async build(queryRunner: QueryRunner): Promise<void> {
    for (const { name, table, column, opclass } of TEXT_INDEXES) {
      for (const [level, levels] of CLEARANCES) {
        await queryRunner.query(`DROP INDEX CONCURRENTLY IF EXISTS "${name}_${level}"`);
        // The column as the clearance sees it, null above it: the query writes the same expression
        // (textMatchSql), which no other index can serve. Not a partial index: PostgreSQL uses the
        // statistics of an expression index to estimate matches only when it covers every row.
        const scope = `"deleted_at" IS NULL AND "confidentiality" IN (${levels})`;
        await queryRunner.query(`CREATE INDEX CONCURRENTLY "${name}_${level}" ON "${table}" USING gin ((CASE WHEN ${scope} THEN "${column}" END) ${opclass})`);
      }
    }
  }

  /** Not concurrently: an undo runs in a transaction, and dropping an index is quick. */
  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const { name } of TEXT_INDEXES) {
      for (const [level] of CLEARANCES) await queryRunner.query(`DROP INDEX IF EXISTS "${name}_${level}"`);
    }
  }
}

/** Each text index of the ResearchApi migration: its name, table, column and operator class. */
const TEXT_INDEXES = [
  { name: 'incident_search', table: 'incident', column: 'search_vector', opclass: '' },
  { name: 'citation_search', table: 'citation', column: 'search_vector', opclass: '' },
  { name: 'source_search', table: 'source', column: 'search_vector', opclass: '' },
  { name: 'situation_search', table: 'situation', column: 'search_vector', opclass: '' },
  { name: 'advocacy_response_search', table: 'advocacy_response', column: 'search_vector', opclass: '' },
  { name: 'incident_perpetrator_trgm', table: 'incident', column: 'perpetrator_description', opclass: 'gin_trgm_ops' },
  { name: 'source_publisher_trgm', table: 'source', column: 'publisher', opclass: 'gin_trgm_ops' },
];

/** Index suffix and the levels it holds. The query's expression must be the same (clearanceScope). */
const CLEARANCES: [string, string][] = [
  ['public', `'PUBLIC'`],
  ['restricted', `'PUBLIC', 'RESTRICTED'`],
];
