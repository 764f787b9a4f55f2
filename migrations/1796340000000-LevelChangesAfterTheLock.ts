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
export class LevelChangesAfterTheLock1796340000000 implements MigrationInterface {
  name = 'LevelChangesAfterTheLock1796340000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // The deferral's tables: the incidents due, and now the sources whose citing incidents are.
    await queryRunner.query(`CREATE OR REPLACE FUNCTION "incident_document_defer"() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF to_regclass('pg_temp.incident_document_deferral') IS NOT NULL THEN RETURN; END IF;
        CREATE TEMP TABLE incident_document_deferred (incident_id uuid PRIMARY KEY) ON COMMIT DROP;
        CREATE TEMP TABLE incident_document_deferred_source (source_id uuid PRIMARY KEY) ON COMMIT DROP;
        CREATE TEMP TABLE incident_document_deferral (armed boolean NOT NULL) ON COMMIT DROP;
        CREATE CONSTRAINT TRIGGER incident_document_deferral AFTER INSERT ON pg_temp.incident_document_deferral
          DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION incident_document_deferred_commit();
        INSERT INTO pg_temp.incident_document_deferral VALUES (true);
        PERFORM set_config('vigil.defer_search_documents', 'on', true);
      END $$`);

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

    await queryRunner.query(`CREATE OR REPLACE FUNCTION "incident_document_on_source"() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE changed uuid[];
      BEGIN
        changed := ARRAY(SELECT n.id FROM incident_document_new n JOIN incident_document_old o ON o.id = n.id
          WHERE (o.confidentiality, o.deleted_at) IS DISTINCT FROM (n.confidentiality, n.deleted_at));
        IF cardinality(changed) = 0 THEN RETURN NULL; END IF;
        IF current_setting('vigil.defer_search_documents', true) = 'on' THEN
          INSERT INTO pg_temp.incident_document_deferred_source (source_id) SELECT DISTINCT x FROM unnest(changed) x ON CONFLICT DO NOTHING;
          RETURN NULL;
        END IF;
        PERFORM pg_advisory_xact_lock(hashtext('incident_document'));
        PERFORM incident_document_write(ARRAY(SELECT DISTINCT c.incident_id FROM citation c WHERE c.incident_id IS NOT NULL AND c.source_id = ANY(changed)));
        RETURN NULL;
      END $$`);

    await queryRunner.query(`CREATE OR REPLACE FUNCTION "incident_response_stats_on_incident"() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE changed uuid[];
      BEGIN
        changed := ARRAY(SELECT n.id FROM incident_stats_new n JOIN incident_stats_old o ON o.id = n.id
          WHERE (o.region_code, o.kind, o.confidentiality, o.deleted_at, o.date_start, o.date_latest, o.victims_at_least, o.victims_at_most, o.victims_best, o.deaths_at_least, o.deaths_at_most, o.deaths_best)
            IS DISTINCT FROM (n.region_code, n.kind, n.confidentiality, n.deleted_at, n.date_start, n.date_latest, n.victims_at_least, n.victims_at_most, n.victims_best, n.deaths_at_least, n.deaths_at_most, n.deaths_best));
        IF cardinality(changed) = 0 THEN RETURN NULL; END IF;
        PERFORM pg_advisory_xact_lock(hashtext('incident_response_stats'));
        PERFORM incident_response_stats_refresh(ARRAY(SELECT ri.id FROM response_incident ri WHERE ri.incident_id = ANY(changed)));
        RETURN NULL;
      END $$`);

    await queryRunner.query(`CREATE OR REPLACE FUNCTION "incident_response_stats_on_response"() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE changed uuid[];
      BEGIN
        changed := ARRAY(SELECT n.id FROM incident_stats_new n JOIN incident_stats_old o ON o.id = n.id
          WHERE (o.confidentiality, o.deleted_at) IS DISTINCT FROM (n.confidentiality, n.deleted_at));
        IF cardinality(changed) = 0 THEN RETURN NULL; END IF;
        PERFORM pg_advisory_xact_lock(hashtext('incident_response_stats'));
        PERFORM incident_response_stats_refresh(ARRAY(SELECT ri.id FROM response_incident ri WHERE ri.response_id = ANY(changed)));
        RETURN NULL;
      END $$`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE OR REPLACE FUNCTION "incident_response_stats_on_response"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM incident_response_stats_refresh(ARRAY(SELECT ri.id FROM response_incident ri WHERE ri.response_id IN
          (SELECT n.id FROM incident_stats_new n JOIN incident_stats_old o ON o.id = n.id WHERE (o.confidentiality, o.deleted_at) IS DISTINCT FROM (n.confidentiality, n.deleted_at))));
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION "incident_response_stats_on_incident"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM incident_response_stats_refresh(ARRAY(SELECT ri.id FROM response_incident ri WHERE ri.incident_id IN
          (SELECT n.id FROM incident_stats_new n JOIN incident_stats_old o ON o.id = n.id WHERE (o.region_code, o.kind, o.confidentiality, o.deleted_at, o.date_start, o.date_latest, o.victims_at_least, o.victims_at_most, o.victims_best, o.deaths_at_least, o.deaths_at_most, o.deaths_best) IS DISTINCT FROM (n.region_code, n.kind, n.confidentiality, n.deleted_at, n.date_start, n.date_latest, n.victims_at_least, n.victims_at_most, n.victims_best, n.deaths_at_least, n.deaths_at_most, n.deaths_best))));
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION "incident_document_on_source"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM incident_document_refresh(ARRAY(SELECT DISTINCT c.incident_id FROM citation c WHERE c.incident_id IS NOT NULL AND c.source_id IN
          (SELECT n.id FROM incident_document_new n JOIN incident_document_old o ON o.id = n.id WHERE (o.confidentiality, o.deleted_at) IS DISTINCT FROM (n.confidentiality, n.deleted_at))));
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION "incident_document_refresh_deferred"() RETURNS void LANGUAGE plpgsql AS $$
      DECLARE due uuid[];
      BEGIN
        IF to_regclass('pg_temp.incident_document_deferred') IS NULL THEN RETURN; END IF;
        due := ARRAY(SELECT incident_id FROM pg_temp.incident_document_deferred ORDER BY incident_id);
        DELETE FROM pg_temp.incident_document_deferred;
        PERFORM incident_document_write(due);
      END $$`);
    await queryRunner.query(`CREATE OR REPLACE FUNCTION "incident_document_defer"() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF to_regclass('pg_temp.incident_document_deferral') IS NOT NULL THEN RETURN; END IF;
        CREATE TEMP TABLE incident_document_deferred (incident_id uuid PRIMARY KEY) ON COMMIT DROP;
        CREATE TEMP TABLE incident_document_deferral (armed boolean NOT NULL) ON COMMIT DROP;
        CREATE CONSTRAINT TRIGGER incident_document_deferral AFTER INSERT ON pg_temp.incident_document_deferral
          DEFERRABLE INITIALLY DEFERRED FOR EACH ROW EXECUTE FUNCTION incident_document_deferred_commit();
        INSERT INTO pg_temp.incident_document_deferral VALUES (true);
        PERFORM set_config('vigil.defer_search_documents', 'on', true);
      END $$`);
  }
}
