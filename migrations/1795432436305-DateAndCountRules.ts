import { MigrationInterface, QueryRunner } from 'typeorm';

export class DateAndCountRules1795432436305 implements MigrationInterface {
  name = 'DateAndCountRules1795432436305';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE INDEX "IDX_9f3e589b38c3db8b0b7b094db0" ON "situation" ("date_latest") `);
    await queryRunner.query(`ALTER TABLE "situation" ADD CONSTRAINT "situation_date_rules" CHECK ((date_start IS NULL OR date_precision = 'DAY' OR (extract(day FROM date_start) = 1 AND (date_precision = 'MONTH' OR extract(month FROM date_start) = 1))) AND (date_end IS NULL OR date_precision = 'DAY' OR (extract(day FROM date_end) = 1 AND (date_precision = 'MONTH' OR extract(month FROM date_end) = 1))) AND (date_end IS NULL OR date_end >= date_start) AND NOT (date_open_end AND date_end IS NOT NULL))`);
    await queryRunner.query(`ALTER TABLE "incident" ADD CONSTRAINT "incident_deaths_rules" CHECK ((deaths_at_least IS NULL OR deaths_at_least >= 0) AND (deaths_best IS NULL OR deaths_best >= 0) AND (deaths_at_most IS NULL OR deaths_at_most >= 0) AND (deaths_at_least IS NULL OR deaths_at_most IS NULL OR deaths_at_least <= deaths_at_most) AND (deaths_at_least IS NULL OR deaths_best IS NULL OR deaths_at_least <= deaths_best) AND (deaths_best IS NULL OR deaths_at_most IS NULL OR deaths_best <= deaths_at_most))`);
    await queryRunner.query(`ALTER TABLE "incident" ADD CONSTRAINT "incident_victims_rules" CHECK ((victims_at_least IS NULL OR victims_at_least >= 0) AND (victims_best IS NULL OR victims_best >= 0) AND (victims_at_most IS NULL OR victims_at_most >= 0) AND (victims_at_least IS NULL OR victims_at_most IS NULL OR victims_at_least <= victims_at_most) AND (victims_at_least IS NULL OR victims_best IS NULL OR victims_at_least <= victims_best) AND (victims_best IS NULL OR victims_at_most IS NULL OR victims_best <= victims_at_most))`);
    await queryRunner.query(`ALTER TABLE "incident" ADD CONSTRAINT "incident_date_rules" CHECK ((date_start IS NULL OR date_precision = 'DAY' OR (extract(day FROM date_start) = 1 AND (date_precision = 'MONTH' OR extract(month FROM date_start) = 1))) AND (date_end IS NULL OR date_precision = 'DAY' OR (extract(day FROM date_end) = 1 AND (date_precision = 'MONTH' OR extract(month FROM date_end) = 1))) AND (date_end IS NULL OR date_end >= date_start) AND NOT (date_open_end AND date_end IS NOT NULL))`);
    await queryRunner.query(`ALTER TABLE "advocacy_response" ADD CONSTRAINT "advocacy_response_participants_rules" CHECK ((participants_at_least IS NULL OR participants_at_least >= 0) AND (participants_best IS NULL OR participants_best >= 0) AND (participants_at_most IS NULL OR participants_at_most >= 0) AND (participants_at_least IS NULL OR participants_at_most IS NULL OR participants_at_least <= participants_at_most) AND (participants_at_least IS NULL OR participants_best IS NULL OR participants_at_least <= participants_best) AND (participants_best IS NULL OR participants_at_most IS NULL OR participants_best <= participants_at_most))`);
    await queryRunner.query(`ALTER TABLE "advocacy_response" ADD CONSTRAINT "advocacy_response_signatures_rules" CHECK ((signatures_at_least IS NULL OR signatures_at_least >= 0) AND (signatures_best IS NULL OR signatures_best >= 0) AND (signatures_at_most IS NULL OR signatures_at_most >= 0) AND (signatures_at_least IS NULL OR signatures_at_most IS NULL OR signatures_at_least <= signatures_at_most) AND (signatures_at_least IS NULL OR signatures_best IS NULL OR signatures_at_least <= signatures_best) AND (signatures_best IS NULL OR signatures_at_most IS NULL OR signatures_best <= signatures_at_most))`);
    await queryRunner.query(`ALTER TABLE "advocacy_response" ADD CONSTRAINT "advocacy_response_date_rules" CHECK ((date_start IS NULL OR date_precision = 'DAY' OR (extract(day FROM date_start) = 1 AND (date_precision = 'MONTH' OR extract(month FROM date_start) = 1))) AND (date_end IS NULL OR date_precision = 'DAY' OR (extract(day FROM date_end) = 1 AND (date_precision = 'MONTH' OR extract(month FROM date_end) = 1))) AND (date_end IS NULL OR date_end >= date_start) AND NOT (date_open_end AND date_end IS NOT NULL))`);
    await queryRunner.query(`ALTER TABLE "source" ADD CONSTRAINT "source_published_rules" CHECK ((published_start IS NULL OR published_precision = 'DAY' OR (extract(day FROM published_start) = 1 AND (published_precision = 'MONTH' OR extract(month FROM published_start) = 1))) AND (published_end IS NULL OR published_precision = 'DAY' OR (extract(day FROM published_end) = 1 AND (published_precision = 'MONTH' OR extract(month FROM published_end) = 1))) AND (published_end IS NULL OR published_end >= published_start) AND NOT (published_open_end AND published_end IS NOT NULL))`);
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE "source" DROP CONSTRAINT "source_published_rules"`);
    await queryRunner.query(`ALTER TABLE "advocacy_response" DROP CONSTRAINT "advocacy_response_date_rules"`);
    await queryRunner.query(`ALTER TABLE "advocacy_response" DROP CONSTRAINT "advocacy_response_signatures_rules"`);
    await queryRunner.query(`ALTER TABLE "advocacy_response" DROP CONSTRAINT "advocacy_response_participants_rules"`);
    await queryRunner.query(`ALTER TABLE "incident" DROP CONSTRAINT "incident_date_rules"`);
    await queryRunner.query(`ALTER TABLE "incident" DROP CONSTRAINT "incident_victims_rules"`);
    await queryRunner.query(`ALTER TABLE "incident" DROP CONSTRAINT "incident_deaths_rules"`);
    await queryRunner.query(`ALTER TABLE "situation" DROP CONSTRAINT "situation_date_rules"`);
    await queryRunner.query(`DROP INDEX "public"."IDX_9f3e589b38c3db8b0b7b094db0"`);
  }
}
