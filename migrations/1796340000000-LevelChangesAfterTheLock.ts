import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A record's level changed while another transaction links to it: the derived rows (search
 * documents, response stats) must follow, whichever commits first.
 *
 * The triggers on source (search documents) and on incident and advocacy_response (response
 * stats) listed the rows to rewrite (the citations of a changed source, the links of a changed
 * incident or response) before they took the refresh's lock. A citation or link that another
 * transaction had written, and not yet committed, was not in the list: that transaction had read
 * the record at its old level, and once both committed its derived rows were stale. A source
 * raised to CONFIDENTIAL left the citation's words in the public documents (an anonymous search
 * found the incident by them); a response raised left it counted in a lower clearance's
 * `responses`. Found by reviewing the import's deferral (session 9's note); the window was there
 * for any two writers.
 *
 * Now the lock comes first and the list is read after it (READ COMMITTED: each statement of the
 * function takes a new snapshot), so it holds every link that a transaction which held the lock
 * has committed; a transaction that takes the lock later reads the new level itself.
 *
 * Under the import's deferral (DeferredSearchDocuments), a source's change is recorded as the
 * source, not as the incidents citing it then: `incident_document_refresh_deferred()` takes the
 * lock and reads the citing incidents at that point, so that a citation another transaction
 * committed while the import ran is rewritten too. The lock is not taken when a write changes no
 * level (an edit of a title, an incident's headline): writers do not queue for nothing.
 */
/** `incident_document_defer()` with the deferral's tables: the incidents due, and (from this
 * migration) the sources whose citing incidents are. */
const deferSql = (withSources: boolean) => `CREATE OR REPLACE FUNCTION "incident_document_defer"() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF to_regclass('pg_temp.incident_document_deferral') IS NOT NULL THEN RETURN; END IF;
        CREATE TEMP TABLE incident_document_deferred (incident_id uuid PRIMARY KEY) ON COMMIT DROP;${
          withSources ? '\n        CREATE TEMP TABLE incident_document_deferred_source (source_id uuid PRIMARY KEY) ON COMMIT DROP;' : ''
        }
        CREATE TEMP TABLE incident_document_deferral (armed boolean NOT NULL) ON COMMIT DROP;
        CREATE CONSTRAINT TRIGGER incident_document_deferral AFTER INSERT ON pg_temp.incident_document_deferral
          DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION incident_document_deferred_commit();
        INSERT INTO pg_temp.incident_document_deferral VALUES (true);
        PERFORM set_config('vigil.defer_search_documents', 'on', true);
      END $$`;

/** The rows of a statement whose `columns` changed, from its transition tables `<prefix>_old/new`. */
const changedRows = (prefix: string, columns: string[]) =>
  `SELECT n.id FROM ${prefix}_new n JOIN ${prefix}_old o ON o.id = n.id
          WHERE (${columns.map((c) => `o.${c}`).join(', ')}) IS DISTINCT FROM (${columns.map((c) => `n.${c}`).join(', ')})`;

/** A trigger function: the rows whose `columns` changed; when there are any, `deferred` (if
 * given and the deferral is on), else `lock` and only then `rewrite` (which reads the rows to
 * rewrite, by the array `changed`). */
const afterTheLock = (o: { name: string; prefix: string; columns: string[]; lock: string; rewrite: string; deferred?: string }) =>
  `CREATE OR REPLACE FUNCTION "${o.name}"() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE changed uuid[];
      BEGIN
        changed := ARRAY(${changedRows(o.prefix, o.columns)});
        IF cardinality(changed) = 0 THEN RETURN NULL; END IF;${
          o.deferred
            ? `
        IF current_setting('vigil.defer_search_documents', true) = 'on' THEN
          ${o.deferred};
          RETURN NULL;
        END IF;`
            : ''
        }
        PERFORM pg_advisory_xact_lock(hashtext('${o.lock}'));
        PERFORM ${o.rewrite};
        RETURN NULL;
      END $$`;

/** The same function as it was: the rows to rewrite listed first, then the refresh takes the lock. */
const beforeTheLock = (o: { name: string; prefix: string; columns: string[]; refresh: string; rows: string }) =>
  `CREATE OR REPLACE FUNCTION "${o.name}"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM ${o.refresh}(ARRAY(${o.rows} IN (${changedRows(o.prefix, o.columns)})));
        RETURN NULL;
      END $$`;

const INCIDENT_COUNTED = [
  'region_code', 'kind', 'confidentiality', 'deleted_at', 'date_start', 'date_latest',
  'victims_at_least', 'victims_at_most', 'victims_best', 'deaths_at_least', 'deaths_at_most', 'deaths_best',
];
const LEVEL = ['confidentiality', 'deleted_at'];
const TRIGGERS = [
  {
    name: 'incident_document_on_source', prefix: 'incident_document', columns: LEVEL, lock: 'incident_document', refresh: 'incident_document_refresh',
    rows: 'SELECT DISTINCT c.incident_id FROM citation c WHERE c.incident_id IS NOT NULL AND c.source_id',
    deferred: 'INSERT INTO pg_temp.incident_document_deferred_source (source_id) SELECT DISTINCT x FROM unnest(changed) x ON CONFLICT DO NOTHING',
    rewrite: 'incident_document_write(ARRAY(SELECT DISTINCT c.incident_id FROM citation c WHERE c.incident_id IS NOT NULL AND c.source_id = ANY(changed)))',
  },
  {
    name: 'incident_response_stats_on_incident', prefix: 'incident_stats', columns: INCIDENT_COUNTED, lock: 'incident_response_stats', refresh: 'incident_response_stats_refresh',
    rows: 'SELECT ri.id FROM response_incident ri WHERE ri.incident_id',
    rewrite: 'incident_response_stats_refresh(ARRAY(SELECT ri.id FROM response_incident ri WHERE ri.incident_id = ANY(changed)))',
  },
  {
    name: 'incident_response_stats_on_response', prefix: 'incident_stats', columns: LEVEL, lock: 'incident_response_stats', refresh: 'incident_response_stats_refresh',
    rows: 'SELECT ri.id FROM response_incident ri WHERE ri.response_id',
    rewrite: 'incident_response_stats_refresh(ARRAY(SELECT ri.id FROM response_incident ri WHERE ri.response_id = ANY(changed)))',
  },
];

export class LevelChangesAfterTheLock1796340000000 implements MigrationInterface {
  name = 'LevelChangesAfterTheLock1796340000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(deferSql(true));
    await queryRunner.query(`CREATE OR REPLACE FUNCTION "incident_document_refresh_deferred"() RETURNS void LANGUAGE plpgsql AS $$
      DECLARE due uuid[];
      BEGIN
        IF to_regclass('pg_temp.incident_document_deferred') IS NULL THEN RETURN; END IF;
        IF NOT EXISTS (SELECT 1 FROM pg_temp.incident_document_deferred) AND NOT EXISTS (SELECT 1 FROM pg_temp.incident_document_deferred_source) THEN
          RETURN;
        END IF;
        PERFORM pg_advisory_xact_lock(hashtext('incident_document'));
        due := ARRAY(
          SELECT incident_id FROM pg_temp.incident_document_deferred
          UNION
          SELECT c.incident_id FROM citation c WHERE c.incident_id IS NOT NULL AND c.source_id IN (SELECT source_id FROM pg_temp.incident_document_deferred_source)
          ORDER BY 1);
        DELETE FROM pg_temp.incident_document_deferred;
        DELETE FROM pg_temp.incident_document_deferred_source;
        PERFORM incident_document_write(due);
      END $$`);
    for (const trigger of TRIGGERS) await queryRunner.query(afterTheLock(trigger));
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const trigger of TRIGGERS) await queryRunner.query(beforeTheLock(trigger));
    await queryRunner.query(`CREATE OR REPLACE FUNCTION "incident_document_refresh_deferred"() RETURNS void LANGUAGE plpgsql AS $$
      DECLARE due uuid[];
      BEGIN
        IF to_regclass('pg_temp.incident_document_deferred') IS NULL THEN RETURN; END IF;
        due := ARRAY(SELECT incident_id FROM pg_temp.incident_document_deferred ORDER BY incident_id);
        DELETE FROM pg_temp.incident_document_deferred;
        PERFORM incident_document_write(due);
      END $$`);
    await queryRunner.query(deferSql(false));
  }
}
