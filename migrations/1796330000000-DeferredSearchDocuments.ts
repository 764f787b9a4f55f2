import { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Search documents refreshed once per transaction for a bulk write (the import; bench/README.md,
 * "Round 3 (issue 18): import"): the triggers of IncidentSearchDocument rewrote an incident's three
 * documents after every statement that touched it, which the import's statements of 1,000 records
 * did twice per incident (after its incidents' chunk, and again after its citations').
 *
 * `incident_document_defer()` makes the rest of the calling transaction record the incidents whose
 * documents are due (in a temporary table, dropped at commit) instead of rewriting them, and arms a
 * deferred constraint trigger that rewrites them all at COMMIT, before the transaction's writes
 * become visible: a transaction cannot commit with stale documents, whoever turned the deferral on
 * and whether or not it called `incident_document_refresh_deferred()` (the import does, to time it
 * and to write them before its last checks). The setting lasts for the transaction only
 * (set_config's is_local), and so do the tables: nothing is left on for the connection's next user.
 * Set any other way (a session's SET), the deferral finds no table to record into and the write
 * fails: never silently stale.
 *
 * The body that rewrites documents is unchanged; it is renamed `incident_document_write` and the
 * triggers' `incident_document_refresh` chooses between it and recording.
 */
export class DeferredSearchDocuments1796330000000 implements MigrationInterface {
  name = 'DeferredSearchDocuments1796330000000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER FUNCTION "incident_document_refresh"(uuid[]) RENAME TO "incident_document_write"`);
    await queryRunner.query(`CREATE FUNCTION "incident_document_refresh"(incidents uuid[]) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF cardinality(incidents) = 0 THEN RETURN; END IF;
        IF current_setting('vigil.defer_search_documents', true) = 'on' THEN
          INSERT INTO pg_temp.incident_document_deferred (incident_id) SELECT DISTINCT x FROM unnest(incidents) x ON CONFLICT DO NOTHING;
          RETURN;
        END IF;
        PERFORM incident_document_write(incidents);
      END $$`);

    // Rewrites the documents recorded so far in this transaction (none: nothing to do).
    await queryRunner.query(`CREATE FUNCTION "incident_document_refresh_deferred"() RETURNS void LANGUAGE plpgsql AS $$
      DECLARE due uuid[];
      BEGIN
        IF to_regclass('pg_temp.incident_document_deferred') IS NULL THEN RETURN; END IF;
        due := ARRAY(SELECT incident_id FROM pg_temp.incident_document_deferred ORDER BY incident_id);
        DELETE FROM pg_temp.incident_document_deferred;
        PERFORM incident_document_write(due);
      END $$`);
    await queryRunner.query(`CREATE FUNCTION "incident_document_deferred_commit"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM incident_document_refresh_deferred();
        RETURN NULL;
      END $$`);

    await queryRunner.query(`CREATE FUNCTION "incident_document_defer"() RETURNS void LANGUAGE plpgsql AS $$
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

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query('DROP FUNCTION "incident_document_defer"()');
    await queryRunner.query('DROP FUNCTION "incident_document_deferred_commit"()');
    await queryRunner.query('DROP FUNCTION "incident_document_refresh_deferred"()');
    await queryRunner.query('DROP FUNCTION "incident_document_refresh"(uuid[])');
    await queryRunner.query(`ALTER FUNCTION "incident_document_write"(uuid[]) RENAME TO "incident_document_refresh"`);
  }
}
