import { MigrationInterface, QueryRunner } from 'typeorm';

/** Each clearance's search documents, in a table of their own (a hidden row is then in no table,
 * index or statistic the clearance's search reads): the levels the clearance reads, and whether it
 * holds deleted incidents (editors find them with includeDeleted; the list's visibility rule still
 * applies). As of this migration; copied, so the migration stays what it was. */
const CLEARANCES: { table: string; levels: string[]; deletedIncidents: boolean }[] = [
  { table: 'incident_document_public', levels: ['PUBLIC'], deletedIncidents: false },
  { table: 'incident_document_restricted', levels: ['PUBLIC', 'RESTRICTED'], deletedIncidents: false },
  { table: 'incident_document_confidential', levels: ['PUBLIC', 'RESTRICTED', 'CONFIDENTIAL'], deletedIncidents: true },
];
const inLevels = (column: string, levels: string[]) => `${column} IN (${levels.map((l) => `'${l}'`).join(', ')})`;

/** The rows of one clearance's table for the incidents `i` the caller selects: the incident's own
 * document, and with the lowest weight (D) the documents of the citations the clearance may read
 * (not deleted, at a level it reads, quoting a source that is neither deleted nor above it: the
 * visibility rule of src/access/record-visibility.ts for a citation reached from its incident). */
const documentRows = (c: (typeof CLEARANCES)[number]) =>
  `SELECT i.id, i.region_code, coalesce(i.search_vector, ''::tsvector) || coalesce((
      SELECT setweight(vigil_tsvector_agg(c.search_vector ORDER BY c.id), 'D') FROM citation c
       WHERE c.incident_id = i.id AND c.deleted_at IS NULL AND ${inLevels('c.confidentiality', c.levels)} AND c.search_vector IS NOT NULL
         AND NOT EXISTS (SELECT 1 FROM source s WHERE s.id = c.source_id AND (s.deleted_at IS NOT NULL OR NOT ${inLevels('s.confidentiality', c.levels)}))), ''::tsvector)
    FROM incident i WHERE ${c.deletedIncidents ? '' : 'i.deleted_at IS NULL AND '}${inLevels('i.confidentiality', c.levels)}`;

const changed = (columns: string) =>
  `(${columns.split(',').map((c) => `o.${c.trim()}`).join(', ')}) IS DISTINCT FROM (${columns.split(',').map((c) => `n.${c.trim()}`).join(', ')})`;

/**
 * Search documents (docs/research.md, "Search"; bench/README.md, "Search document"): one row per
 * incident and clearance, with the incident's region (a country's matches are narrowed inside the
 * GIN scan) and its document: its own search vector and its visible citations'. Built
 * from the records' generated search vectors, so translations come along. Kept current in the
 * writing transaction by statement-level triggers on incident, citation and source (a source's
 * level or deletion changes what every citing incident's documents hold), COPY included.
 * `incident_document_rebuild()` fills them from the tables (after a bulk load with the triggers off).
 */
export class IncidentSearchDocument1796309000000 implements MigrationInterface {
  name = 'IncidentSearchDocument1796309000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // tsvector || tsvector over rows; the citations in a fixed order, so a rebuild gives the same document.
    await queryRunner.query(`CREATE AGGREGATE vigil_tsvector_agg(tsvector) (SFUNC = tsvector_concat, STYPE = tsvector, INITCOND = '')`);
    for (const c of CLEARANCES) {
      await queryRunner.query(`CREATE TABLE "${c.table}" ("incident_id" uuid PRIMARY KEY, "region_code" text NOT NULL, "document" tsvector NOT NULL)`);
    }

    // Rewrites the documents of the given incidents from the tables. One refresh at a time until the
    // transaction ends: a document joins an incident, its citations and their sources, which other
    // transactions may be changing, and a refresh that waits its turn reads what they committed.
    await queryRunner.query(`CREATE FUNCTION "incident_document_refresh"(incidents uuid[]) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF cardinality(incidents) = 0 THEN RETURN; END IF;
        PERFORM pg_advisory_xact_lock(hashtext('incident_document'));
        ${CLEARANCES.map(
          (c) => `DELETE FROM ${c.table} WHERE incident_id = ANY(incidents);
        INSERT INTO ${c.table} (incident_id, region_code, document) ${documentRows(c)} AND i.id = ANY(incidents);`,
        ).join('\n        ')}
      END $$`);

    // Each event in its own branch: a statement naming a transition table the event lacks fails.
    await queryRunner.query(`CREATE FUNCTION "incident_document_on_incident"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM incident_document_refresh(ARRAY(SELECT n.id FROM incident_document_new n));
        ELSIF TG_OP = 'DELETE' THEN
          PERFORM incident_document_refresh(ARRAY(SELECT o.id FROM incident_document_old o));
        ELSE
          PERFORM incident_document_refresh(ARRAY(SELECT n.id FROM incident_document_new n JOIN incident_document_old o ON o.id = n.id
            WHERE ${changed('search_vector, region_code, confidentiality, deleted_at')}));
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE FUNCTION "incident_document_on_citation"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'INSERT' THEN
          PERFORM incident_document_refresh(ARRAY(SELECT DISTINCT n.incident_id FROM incident_document_new n WHERE n.incident_id IS NOT NULL));
        ELSIF TG_OP = 'DELETE' THEN
          PERFORM incident_document_refresh(ARRAY(SELECT DISTINCT o.incident_id FROM incident_document_old o WHERE o.incident_id IS NOT NULL));
        ELSE
          PERFORM incident_document_refresh(ARRAY(SELECT DISTINCT x.incident_id FROM incident_document_new n JOIN incident_document_old o ON o.id = n.id,
            LATERAL (VALUES (n.incident_id), (o.incident_id)) x(incident_id)
            WHERE x.incident_id IS NOT NULL AND ${changed('search_vector, incident_id, source_id, confidentiality, deleted_at')}));
        END IF;
        RETURN NULL;
      END $$`);
    // A source is deleted for good only once its citations are (a foreign key without cascade).
    await queryRunner.query(`CREATE FUNCTION "incident_document_on_source"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM incident_document_refresh(ARRAY(SELECT DISTINCT c.incident_id FROM citation c WHERE c.incident_id IS NOT NULL AND c.source_id IN
          (SELECT n.id FROM incident_document_new n JOIN incident_document_old o ON o.id = n.id WHERE ${changed('confidentiality, deleted_at')})));
        RETURN NULL;
      END $$`);
    // A transition table serves one event per trigger.
    for (const table of ['incident', 'citation']) {
      for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
        const referencing =
          event === 'INSERT' ? 'NEW TABLE AS incident_document_new' : event === 'DELETE' ? 'OLD TABLE AS incident_document_old' : 'OLD TABLE AS incident_document_old NEW TABLE AS incident_document_new';
        await queryRunner.query(
          `CREATE TRIGGER "incident_document_${event.toLowerCase()}" AFTER ${event} ON "${table}" REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION incident_document_on_${table}()`,
        );
      }
    }
    await queryRunner.query(
      `CREATE TRIGGER "incident_document_update" AFTER UPDATE ON "source" REFERENCING OLD TABLE AS incident_document_old NEW TABLE AS incident_document_new ` +
        `FOR EACH STATEMENT EXECUTE FUNCTION incident_document_on_source()`,
    );

    await queryRunner.query(`CREATE FUNCTION "incident_document_rebuild"() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        ${CLEARANCES.map((c) => `TRUNCATE ${c.table};
        INSERT INTO ${c.table} (incident_id, region_code, document) ${documentRows(c)};`).join('\n        ')}
      END $$`);
    await queryRunner.query(`CREATE FUNCTION "incident_document_truncated"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM incident_document_rebuild();
        RETURN NULL;
      END $$`);
    for (const table of ['incident', 'citation', 'source']) {
      await queryRunner.query(`CREATE TRIGGER "incident_document_truncated" AFTER TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION incident_document_truncated()`);
    }

    // The documents of every incident, and three GIN builds: minutes at a million incidents, beyond
    // the service's statement timeout (as in ClearanceIndexes). Reset afterwards, for the
    // connection's next user.
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
    await queryRunner.query('SELECT incident_document_rebuild()');
    // The index each clearance's search reads (the name ends with the clearance's, like the
    // per-clearance text indexes). The region as a one-element array, so that a filter's regions
    // (an overlap with their codes) narrow a country's matches inside the GIN scan: btree_gin's
    // GIN cannot take an IN list.
    for (const c of CLEARANCES) {
      await queryRunner.query(
        `CREATE INDEX "${c.table.replace('incident_document_', 'incident_document_text_')}" ON "${c.table}" USING gin ("document", (ARRAY["region_code"]))`,
      );
    }
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['incident', 'citation', 'source']) await queryRunner.query(`DROP TRIGGER "incident_document_truncated" ON "${table}"`);
    await queryRunner.query(`DROP TRIGGER "incident_document_update" ON "source"`);
    for (const table of ['incident', 'citation']) {
      for (const event of ['insert', 'update', 'delete']) await queryRunner.query(`DROP TRIGGER "incident_document_${event}" ON "${table}"`);
    }
    for (const fn of [
      'incident_document_truncated()',
      'incident_document_rebuild()',
      'incident_document_on_source()',
      'incident_document_on_citation()',
      'incident_document_on_incident()',
      'incident_document_refresh(uuid[])',
    ]) {
      await queryRunner.query(`DROP FUNCTION ${fn}`);
    }
    for (const c of CLEARANCES) await queryRunner.query(`DROP TABLE "${c.table}"`);
    await queryRunner.query('DROP AGGREGATE vigil_tsvector_agg(tsvector)');
  }
}
