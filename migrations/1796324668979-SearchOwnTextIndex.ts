import { MigrationInterface, QueryRunner } from 'typeorm';

const TABLES = ['incident_document_public', 'incident_document_restricted', 'incident_document_confidential'];

/**
 * Relevance in two tiers (docs/research.md, "Search"): incidents whose own text (headline and
 * description in any language, weights A and B of the search document) matches come first. An
 * index of each clearance's documents on that part, with the region as in the document index, finds
 * the first tier without reading every match; a first page that it fills ranks only those
 * (src/incidents/incidents.service.ts, hitsSql; bench/README.md).
 */
export class SearchOwnTextIndex1796324668979 implements MigrationInterface {
  name = 'SearchOwnTextIndex1796324668979';

  public async up(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) {
      await queryRunner.query(
        `CREATE INDEX "${table.replace('incident_document_', 'incident_document_own_')}" ON "${table}" USING gin ((ts_filter("document", '{a,b}')), (ARRAY["region_code"]))`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of TABLES) await queryRunner.query(`DROP INDEX "${table.replace('incident_document_', 'incident_document_own_')}"`);
  }
}
