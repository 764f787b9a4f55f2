import { MigrationInterface, QueryRunner } from 'typeorm';

/** Rate-limit and failed-authentication counters shared by every instance of the service
 * (src/security/limit-store.ts), so that N instances behind a load balancer give a client the
 * limits of one. UNLOGGED: no WAL, not copied to replicas, emptied after a crash (the counters
 * then start again, as after a restart today). Each key's row is updated in place (HOT updates:
 * only `hits` and `resets_at` change, neither is indexed, and fillfactor leaves room on the page).
 * No entity declares it: only src/security/limit-store.ts reads or writes it. */
export class SharedLimits1796293401744 implements MigrationInterface {
  name = 'SharedLimits1796293401744';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `CREATE UNLOGGED TABLE "rate_limit_counter" ("key" text PRIMARY KEY, "hits" integer NOT NULL, "resets_at" timestamptz NOT NULL) WITH (fillfactor = 70)`,
    );
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE "rate_limit_counter"`);
  }
}
