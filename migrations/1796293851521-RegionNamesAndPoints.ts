import { MigrationInterface, QueryRunner } from 'typeorm';

export class RegionNamesAndPoints1796293851521 implements MigrationInterface {
  name = 'RegionNamesAndPoints1796293851521';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "region" ADD "names" jsonb NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "region" ADD "aliases" text array NOT NULL DEFAULT '{}'`);
    await queryRunner.query(`ALTER TABLE "region" ADD "latitude" double precision`);
    await queryRunner.query(`ALTER TABLE "region" ADD "longitude" double precision`);
    await queryRunner.query(`ALTER TABLE "region" ADD "point_code" text`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "region" DROP COLUMN "point_code"`);
    await queryRunner.query(`ALTER TABLE "region" DROP COLUMN "longitude"`);
    await queryRunner.query(`ALTER TABLE "region" DROP COLUMN "latitude"`);
    await queryRunner.query(`ALTER TABLE "region" DROP COLUMN "aliases"`);
    await queryRunner.query(`ALTER TABLE "region" DROP COLUMN "names"`);
  }
}
