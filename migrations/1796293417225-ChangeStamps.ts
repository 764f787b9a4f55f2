import { MigrationInterface, QueryRunner } from 'typeorm';

/** Every record table, and the records each one's visibility depends on (DEPENDS_ON in
 * src/access/record-visibility.ts as of this migration; copied, so the migration stays what it was). */
const TABLES: Record<string, { table: string; column: string }[]> = {
  situation: [],
  incident: [],
  organization: [],
  person: [],
  involvement: [{ table: 'incident', column: 'incident_id' }, { table: 'person', column: 'person_id' }],
  advocacy_response: [],
  response_organizer: [{ table: 'advocacy_response', column: 'response_id' }, { table: 'organization', column: 'organization_id' }],
  response_incident: [{ table: 'advocacy_response', column: 'response_id' }, { table: 'incident', column: 'incident_id' }],
  response_situation: [{ table: 'advocacy_response', column: 'response_id' }, { table: 'situation', column: 'situation_id' }],
  source: [],
  citation: [
    { table: 'source', column: 'source_id' },
    { table: 'incident', column: 'incident_id' },
    { table: 'situation', column: 'situation_id' },
    { table: 'advocacy_response', column: 'response_id' },
  ],
};

/** The revision's subject type of each table. */
const TYPES: Record<string, string> = {
  situation: 'SITUATION',
  incident: 'INCIDENT',
  organization: 'ORGANIZATION',
  person: 'PERSON',
  involvement: 'INVOLVEMENT',
  advocacy_response: 'ADVOCACY_RESPONSE',
  response_organizer: 'RESPONSE_ORGANIZER',
  response_incident: 'RESPONSE_INCIDENT',
  response_situation: 'RESPONSE_SITUATION',
  source: 'SOURCE',
  citation: 'CITATION',
};

const STAMPS = ['public_version', 'public_updated_at', 'restricted_version', 'restricted_updated_at'];

/**
 * Change stamps per clearance (src/access/change-stamps.ts) and, on each revision, the clearance
 * that could see the record before and after it (for the removal feed).
 *
 * Backfill: every stamp starts at the record's own version and updated_at. That is what every viewer
 * was shown until now, so it reveals nothing new, and no stamp ever goes back (a copy kept current
 * with updatedSince misses nothing). Revisions get their levels from the state they hold (its own
 * confidentiality and deletion) and the levels of the records they depend on now: the best known.
 */
export class ChangeStamps1796293417225 implements MigrationInterface {
  name = 'ChangeStamps1796293417225';

  public async up(queryRunner: QueryRunner): Promise<void> {
    // A record inserted without stamps (every insert: the API, imports, demo data) starts with its own.
    await queryRunner.query(`CREATE FUNCTION "record_change_stamps"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        NEW.public_version := coalesce(NEW.public_version, NEW.version);
        NEW.public_updated_at := coalesce(NEW.public_updated_at, NEW.updated_at);
        NEW.restricted_version := coalesce(NEW.restricted_version, NEW.version);
        NEW.restricted_updated_at := coalesce(NEW.restricted_updated_at, NEW.updated_at);
        RETURN NEW;
      END $$`);
    for (const table of Object.keys(TABLES)) {
      await queryRunner.query(`ALTER TABLE "${table}" ADD "public_version" integer, ADD "public_updated_at" TIMESTAMP WITH TIME ZONE, ` +
        `ADD "restricted_version" integer, ADD "restricted_updated_at" TIMESTAMP WITH TIME ZONE`);
      await queryRunner.query(`UPDATE "${table}" SET public_version = version, public_updated_at = updated_at, restricted_version = version, restricted_updated_at = updated_at`);
      await queryRunner.query(`ALTER TABLE "${table}" ${STAMPS.map((c) => `ALTER "${c}" SET NOT NULL`).join(', ')}`);
      await queryRunner.query(
        `CREATE TRIGGER "${table}_change_stamps" BEFORE INSERT ON "${table}" FOR EACH ROW ` +
          `WHEN (${STAMPS.map((c) => `NEW.${c} IS NULL`).join(' OR ')}) EXECUTE FUNCTION "record_change_stamps"()`,
      );
    }
    // UPDATED_DESC for viewers below CONFIDENTIAL, as incident_updated_order serves editors.
    await queryRunner.query(`CREATE INDEX "incident_public_updated_order" ON "incident" ("public_updated_at" DESC, "id" DESC)`);
    await queryRunner.query(`CREATE INDEX "incident_restricted_updated_order" ON "incident" ("restricted_updated_at" DESC, "id" DESC)`);

    await queryRunner.query(`ALTER TABLE "revision" ADD "seen_before" "public"."confidentiality"`);
    await queryRunner.query(`ALTER TABLE "revision" ADD "seen_after" "public"."confidentiality"`);
    for (const [table, dependencies] of Object.entries(TABLES)) {
      const linked = dependencies.map((d) => `(SELECT l.confidentiality FROM "${d.table}" l WHERE l.id = t.${d.column})`);
      await queryRunner.query(
        `UPDATE revision r SET seen_after = CASE WHEN r.state->>'deletedAt' IS NOT NULL THEN 'CONFIDENTIAL'
           ELSE GREATEST((r.state->>'confidentiality')::confidentiality${linked.map((l) => `, ${l}`).join('')}) END
         FROM "${table}" t WHERE r.subject_type = '${TYPES[table]}' AND r.subject_id = t.id`,
      );
    }
    await queryRunner.query(`UPDATE revision r SET seen_before = p.previous
      FROM (SELECT id, lag(seen_after) OVER (PARTITION BY subject_type, subject_id ORDER BY version) AS previous FROM revision) p
      WHERE p.id = r.id AND p.previous IS NOT NULL`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "revision" DROP COLUMN "seen_after"`);
    await queryRunner.query(`ALTER TABLE "revision" DROP COLUMN "seen_before"`);
    await queryRunner.query(`DROP INDEX "incident_restricted_updated_order"`);
    await queryRunner.query(`DROP INDEX "incident_public_updated_order"`);
    for (const table of Object.keys(TABLES).reverse()) {
      await queryRunner.query(`DROP TRIGGER "${table}_change_stamps" ON "${table}"`);
      await queryRunner.query(`ALTER TABLE "${table}" ${STAMPS.map((c) => `DROP COLUMN "${c}"`).join(', ')}`);
    }
    await queryRunner.query(`DROP FUNCTION "record_change_stamps"()`);
  }
}
