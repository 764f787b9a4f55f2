import { MigrationInterface, QueryRunner } from 'typeorm';

/** Disabling an account now revokes its tokens (AccountsService.updateAccount), so that enabling
 * it again brings none of them back. Accounts disabled before this change still have tokens that
 * would come back: revoke them too, as of the moment the account was disabled. Not undone by
 * `down`: a revoked token stays revoked. */
export class RevokeTokensOfDisabledAccounts1796293401745 implements MigrationInterface {
  name = 'RevokeTokensOfDisabledAccounts1796293401745';

  public async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `UPDATE "api_token" t SET "revoked_at" = a."disabled_at" FROM "account" a ` +
        `WHERE a."id" = t."account_id" AND a."disabled_at" IS NOT NULL AND t."revoked_at" IS NULL`,
    );
  }

  public async down(): Promise<void> {
    // Nothing to undo.
  }
}
