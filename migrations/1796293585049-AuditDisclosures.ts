import { MigrationInterface, QueryRunner } from 'typeorm';

export class AuditDisclosures1796293585049 implements MigrationInterface {
  name = 'AuditDisclosures1796293585049';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE TABLE "service_secret" ("name" text NOT NULL, "value" bytea NOT NULL, CONSTRAINT "PK_e975f2a7f08b163e44b659b46dc" PRIMARY KEY ("name"))`);
    await queryRunner.query(`ALTER TABLE "audit_event" ADD "kinds" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "audit_event" ADD "probes" jsonb`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "audit_event" DROP COLUMN "probes"`);
    await queryRunner.query(`ALTER TABLE "audit_event" DROP COLUMN "kinds"`);
    await queryRunner.query(`DROP TABLE "service_secret"`);
  }
}
