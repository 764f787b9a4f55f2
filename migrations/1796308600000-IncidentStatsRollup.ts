import { MigrationInterface, QueryRunner } from 'typeorm';

/** The year and month an incident is counted in (src/incidents/periods.ts as of this migration;
 * copied, so the migration stays what it was), over the alias `d`. */
const YEAR = "CASE WHEN date_trunc('year', d.date_start) = date_trunc('year', d.date_latest::timestamp) THEN extract(year FROM d.date_start)::int END";
const MONTH = "CASE WHEN date_trunc('month', d.date_start) = date_trunc('month', d.date_latest::timestamp) THEN to_char(d.date_start, 'YYYY-MM') END";

/** What an incident contributes to the rollup, from a row set `d` of incidents with a `sign`
 * (+1 added, -1 removed). The same sums incidentStats takes live (countBoundsSql). */
const CONTRIBUTION = `SELECT d.sign, d.region_code, ${YEAR} AS year, ${MONTH} AS month, d.kind, d.confidentiality,
    d.deleted_at IS NOT NULL AS deleted,
    coalesce(d.victims_at_least, d.victims_best) AS v_lower, coalesce(d.victims_at_most, d.victims_best) AS v_upper, d.victims_best AS v_best,
    coalesce(d.deaths_at_least, d.deaths_best) AS d_lower, coalesce(d.deaths_at_most, d.deaths_best) AS d_upper, d.deaths_best AS d_best`;

const SUMS = `sum(sign)::int,
    coalesce(sum(sign * v_lower), 0), coalesce(sum(sign * v_upper), 0), coalesce(sum(sign) FILTER (WHERE v_upper IS NULL), 0)::int,
    coalesce(sum(sign * v_best), 0), coalesce(sum(sign) FILTER (WHERE v_lower IS NULL AND v_upper IS NULL), 0)::int,
    coalesce(sum(sign * d_lower), 0), coalesce(sum(sign * d_upper), 0), coalesce(sum(sign) FILTER (WHERE d_upper IS NULL), 0)::int,
    coalesce(sum(sign * d_best), 0), coalesce(sum(sign) FILTER (WHERE d_lower IS NULL AND d_upper IS NULL), 0)::int`;

const ROLLUP_COLUMNS = `region_code, year, month, kind, confidentiality, deleted, incidents,
    victims_lower, victims_upper, victims_unbounded, victims_best, victims_unknown,
    deaths_lower, deaths_upper, deaths_unbounded, deaths_best, deaths_unknown`;

const KEY = `region_code, confidentiality, deleted, kind, (coalesce(year, 0)), (coalesce(month, ''))`;

/** Incident columns that change what an incident contributes (or the responses it is answered by). */
const COUNTED = `region_code, kind, confidentiality, deleted_at, date_start, date_latest,
    victims_at_least, victims_at_most, victims_best, deaths_at_least, deaths_at_most, deaths_best`;
const changed = (columns: string) =>
  `(${columns.split(',').map((c) => `o.${c.trim()}`).join(', ')}) IS DISTINCT FROM (${columns.split(',').map((c) => `n.${c.trim()}`).join(', ')})`;

/** One live answering link (response_incident) as incidentStats counts it, from `ri` joined to its
 * incident `d` and response `r`: the incident's keys and level, and the level it takes to see the
 * link (the higher of the link's and the response's; links to a deleted response never count). */
const ANSWER = `SELECT ri.id, ri.response_id, ri.incident_id, d.region_code, ${YEAR}, ${MONTH}, d.kind, d.confidentiality,
    d.deleted_at IS NOT NULL, GREATEST(ri.confidentiality, r.confidentiality)
  FROM response_incident ri JOIN incident d ON d.id = ri.incident_id JOIN advocacy_response r ON r.id = ri.response_id
  WHERE ri.deleted_at IS NULL AND r.deleted_at IS NULL`;

/**
 * The rollup behind incidentStats (docs/research.md, "How the aggregates are computed"):
 * - `incident_stats_rollup`: incidents and their victims' and deaths' sums per region, year, month,
 *   kind, confidentiality and deletion, kept current by statement-level triggers on `incident` that
 *   add what the new rows contribute and take away what the old ones did, in the writing transaction.
 * - `incident_response_stats`: one row per live answering link (response_incident), with what a
 *   distinct count of responses by those keys needs. Distinct counts do not add up, so the links are
 *   kept one by one, refreshed from the tables whenever a link, its incident or its response changes.
 * `incident_stats_rebuild()` fills both from the tables (after a bulk load with the triggers off).
 */
export class IncidentStatsRollup1796308600000 implements MigrationInterface {
  name = 'IncidentStatsRollup1796308600000';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "incident_stats_rollup" (
      "region_code" text NOT NULL,
      "year" integer,
      "month" text,
      "kind" "incident_kind" NOT NULL,
      "confidentiality" "confidentiality" NOT NULL,
      "deleted" boolean NOT NULL,
      "incidents" integer NOT NULL,
      "victims_lower" bigint NOT NULL, "victims_upper" bigint NOT NULL, "victims_unbounded" integer NOT NULL,
      "victims_best" bigint NOT NULL, "victims_unknown" integer NOT NULL,
      "deaths_lower" bigint NOT NULL, "deaths_upper" bigint NOT NULL, "deaths_unbounded" integer NOT NULL,
      "deaths_best" bigint NOT NULL, "deaths_unknown" integer NOT NULL)`);
    // The key, led by what every read narrows by (region, then the viewer's levels), and every
    // column a read takes: an index-only scan.
    await queryRunner.query(
      `CREATE UNIQUE INDEX "incident_stats_rollup_key" ON "incident_stats_rollup" (${KEY}) INCLUDE (year, month, incidents,
        victims_lower, victims_upper, victims_unbounded, victims_best, victims_unknown,
        deaths_lower, deaths_upper, deaths_unbounded, deaths_best, deaths_unknown)`,
    );
    await queryRunner.query(`CREATE TABLE "incident_response_stats" (
      "link_id" uuid PRIMARY KEY,
      "response_id" uuid NOT NULL,
      "incident_id" uuid NOT NULL,
      "region_code" text NOT NULL,
      "year" integer,
      "month" text,
      "kind" "incident_kind" NOT NULL,
      "incident_confidentiality" "confidentiality" NOT NULL,
      "incident_deleted" boolean NOT NULL,
      "link_confidentiality" "confidentiality" NOT NULL)`);
    await queryRunner.query(
      `CREATE INDEX "incident_response_stats_read" ON "incident_response_stats" (region_code, incident_confidentiality, link_confidentiality, incident_deleted)
        INCLUDE (kind, year, month, response_id)`,
    );

    // Adds up signed contributions; a group left with no incident is removed.
    await queryRunner.query(`CREATE FUNCTION "incident_stats_rollup_apply"() RETURNS trigger LANGUAGE plpgsql AS $$
      DECLARE rows text;
      BEGIN
        rows := CASE TG_OP
          WHEN 'INSERT' THEN 'SELECT 1 AS sign, n.* FROM incident_stats_new n'
          WHEN 'DELETE' THEN 'SELECT -1 AS sign, o.* FROM incident_stats_old o'
          ELSE 'SELECT -1 AS sign, o.* FROM incident_stats_old o JOIN incident_stats_new n ON n.id = o.id WHERE ${changed(COUNTED)}
                UNION ALL SELECT 1 AS sign, n.* FROM incident_stats_new n JOIN incident_stats_old o ON o.id = n.id WHERE ${changed(COUNTED)}'
        END;
        EXECUTE format($f$
          WITH delta AS (SELECT region_code, year, month, kind, confidentiality, deleted, ${SUMS}
                         FROM (${CONTRIBUTION} FROM (%s) d) c
                         GROUP BY region_code, year, month, kind, confidentiality, deleted),
          applied AS (
            INSERT INTO incident_stats_rollup AS t (${ROLLUP_COLUMNS})
            SELECT * FROM delta ORDER BY region_code, confidentiality, deleted, kind, coalesce(year, 0), coalesce(month, '')
            ON CONFLICT (${KEY}) DO UPDATE SET
              incidents = t.incidents + excluded.incidents,
              victims_lower = t.victims_lower + excluded.victims_lower, victims_upper = t.victims_upper + excluded.victims_upper,
              victims_unbounded = t.victims_unbounded + excluded.victims_unbounded, victims_best = t.victims_best + excluded.victims_best,
              victims_unknown = t.victims_unknown + excluded.victims_unknown,
              deaths_lower = t.deaths_lower + excluded.deaths_lower, deaths_upper = t.deaths_upper + excluded.deaths_upper,
              deaths_unbounded = t.deaths_unbounded + excluded.deaths_unbounded, deaths_best = t.deaths_best + excluded.deaths_best,
              deaths_unknown = t.deaths_unknown + excluded.deaths_unknown
            RETURNING region_code)
          SELECT count(*) FROM applied$f$, rows);
        IF TG_OP <> 'INSERT' THEN
          DELETE FROM incident_stats_rollup WHERE incidents = 0 AND region_code IN (SELECT o.region_code FROM incident_stats_old o);
        END IF;
        RETURN NULL;
      END $$`);

    // Rewrites the rows of the given links from the tables. One refresh at a time until the
    // transaction ends: a link joins an incident and a response that other transactions may be
    // changing, and a refresh that waits its turn reads what they committed.
    await queryRunner.query(`CREATE FUNCTION "incident_response_stats_refresh"(links uuid[]) RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        IF cardinality(links) = 0 THEN RETURN; END IF;
        PERFORM pg_advisory_xact_lock(hashtext('incident_response_stats'));
        DELETE FROM incident_response_stats WHERE link_id = ANY(links);
        INSERT INTO incident_response_stats ${ANSWER} AND ri.id = ANY(links);
      END $$`);
    await queryRunner.query(`CREATE FUNCTION "incident_response_stats_on_link"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_OP = 'DELETE' THEN
          PERFORM incident_response_stats_refresh(ARRAY(SELECT o.id FROM incident_stats_old o));
        ELSE
          PERFORM incident_response_stats_refresh(ARRAY(SELECT n.id FROM incident_stats_new n));
        END IF;
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE FUNCTION "incident_response_stats_on_incident"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM incident_response_stats_refresh(ARRAY(SELECT ri.id FROM response_incident ri WHERE ri.incident_id IN
          (SELECT n.id FROM incident_stats_new n JOIN incident_stats_old o ON o.id = n.id WHERE ${changed(COUNTED)})));
        RETURN NULL;
      END $$`);
    await queryRunner.query(`CREATE FUNCTION "incident_response_stats_on_response"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM incident_response_stats_refresh(ARRAY(SELECT ri.id FROM response_incident ri WHERE ri.response_id IN
          (SELECT n.id FROM incident_stats_new n JOIN incident_stats_old o ON o.id = n.id WHERE ${changed('confidentiality, deleted_at')})));
        RETURN NULL;
      END $$`);

    // A transition table serves one event per trigger.
    for (const event of ['INSERT', 'UPDATE', 'DELETE']) {
      const referencing = event === 'INSERT' ? 'NEW TABLE AS incident_stats_new' : event === 'DELETE' ? 'OLD TABLE AS incident_stats_old' : 'OLD TABLE AS incident_stats_old NEW TABLE AS incident_stats_new';
      const name = event.toLowerCase();
      await queryRunner.query(
        `CREATE TRIGGER "incident_stats_rollup_${name}" AFTER ${event} ON "incident" REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION incident_stats_rollup_apply()`,
      );
      await queryRunner.query(
        `CREATE TRIGGER "incident_response_stats_${name}" AFTER ${event} ON "response_incident" REFERENCING ${referencing} FOR EACH STATEMENT EXECUTE FUNCTION incident_response_stats_on_link()`,
      );
    }
    // An incident or a response is deleted for good only once its links are (foreign keys without
    // cascade): only their updates change links' rows.
    await queryRunner.query(
      `CREATE TRIGGER "incident_response_stats_incident" AFTER UPDATE ON "incident" REFERENCING OLD TABLE AS incident_stats_old NEW TABLE AS incident_stats_new ` +
        `FOR EACH STATEMENT EXECUTE FUNCTION incident_response_stats_on_incident()`,
    );
    await queryRunner.query(
      `CREATE TRIGGER "incident_response_stats_response" AFTER UPDATE ON "advocacy_response" REFERENCING OLD TABLE AS incident_stats_old NEW TABLE AS incident_stats_new ` +
        `FOR EACH STATEMENT EXECUTE FUNCTION incident_response_stats_on_response()`,
    );
    await queryRunner.query(`CREATE FUNCTION "incident_stats_truncated"() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        IF TG_TABLE_NAME = 'incident' THEN TRUNCATE incident_stats_rollup; END IF;
        TRUNCATE incident_response_stats;
        RETURN NULL;
      END $$`);
    for (const table of ['incident', 'response_incident', 'advocacy_response']) {
      await queryRunner.query(`CREATE TRIGGER "incident_stats_truncated" AFTER TRUNCATE ON "${table}" FOR EACH STATEMENT EXECUTE FUNCTION incident_stats_truncated()`);
    }

    await queryRunner.query(`CREATE FUNCTION "incident_stats_rebuild"() RETURNS void LANGUAGE plpgsql AS $$
      BEGIN
        DELETE FROM incident_stats_rollup;
        INSERT INTO incident_stats_rollup (${ROLLUP_COLUMNS})
          SELECT region_code, year, month, kind, confidentiality, deleted, ${SUMS}
          FROM (${CONTRIBUTION} FROM (SELECT 1 AS sign, i.* FROM incident i) d) c
          GROUP BY region_code, year, month, kind, confidentiality, deleted;
        DELETE FROM incident_response_stats;
        INSERT INTO incident_response_stats ${ANSWER};
      END $$`);
    await queryRunner.query('SELECT incident_stats_rebuild()');
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of ['incident', 'response_incident', 'advocacy_response']) await queryRunner.query(`DROP TRIGGER "incident_stats_truncated" ON "${table}"`);
    await queryRunner.query(`DROP TRIGGER "incident_response_stats_response" ON "advocacy_response"`);
    await queryRunner.query(`DROP TRIGGER "incident_response_stats_incident" ON "incident"`);
    for (const name of ['insert', 'update', 'delete']) {
      await queryRunner.query(`DROP TRIGGER "incident_response_stats_${name}" ON "response_incident"`);
      await queryRunner.query(`DROP TRIGGER "incident_stats_rollup_${name}" ON "incident"`);
    }
    for (const fn of [
      'incident_stats_rebuild()',
      'incident_stats_truncated()',
      'incident_response_stats_on_response()',
      'incident_response_stats_on_incident()',
      'incident_response_stats_on_link()',
      'incident_response_stats_refresh(uuid[])',
      'incident_stats_rollup_apply()',
    ]) {
      await queryRunner.query(`DROP FUNCTION ${fn}`);
    }
    await queryRunner.query(`DROP TABLE "incident_response_stats"`);
    await queryRunner.query(`DROP TABLE "incident_stats_rollup"`);
  }
}
