import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, IsNull } from 'typeorm';
import { Role } from '../access/role';
import { Viewer } from '../access/viewer';
import { AuditAction } from '../audit/audit-event.entity';
import { AuditService } from '../audit/audit.service';
import { PageArgs } from '../common/connection';
import { ForbiddenError, NotFoundError, UserInputError } from '../common/errors';
import { paginate } from '../common/keyset';
import { Account } from './account.entity';
import { ApiToken } from './api-token.entity';
import { CreateAccountInput, CreateApiTokenInput, DEFAULT_TOKEN_DAYS, UpdateAccountInput } from './dto/account.inputs';
import { bearerToken, generateToken, hashToken, looksLikeToken } from './tokens';

export type Authentication = { ok: true; viewer: Viewer } | { ok: false; reason: string };

const DAY_MS = 24 * 60 * 60 * 1000;

function changesOf<T extends object>(before: T | null, after: T, fields: (keyof T & string)[]) {
  const changes: Record<string, { before: unknown; after: unknown }> = {};
  for (const f of fields) {
    const b = before ? before[f] : null;
    if (String(b) !== String(after[f])) changes[f] = { before: b ?? null, after: after[f] ?? null };
  }
  return changes;
}

/** Accounts and API tokens: the only SQL that touches them. Used by the GraphQL resolvers, the
 * authentication hook and the command line alike. Every change is audited in its transaction. */
@Injectable()
export class AccountsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly audit: AuditService,
  ) {}

  /** Who a bearer token belongs to; refuses unknown, malformed, expired and revoked tokens and
   * disabled accounts with a reason that reveals nothing about other accounts. */
  async authenticate(authorization: string): Promise<Authentication> {
    const token = bearerToken(authorization);
    if (token === null) return { ok: false, reason: 'The Authorization header must be "Bearer <token>"' };
    if (!looksLikeToken(token)) return { ok: false, reason: 'The token is invalid, expired or revoked' };
    const row = await this.dataSource
      .getRepository(ApiToken)
      .createQueryBuilder('t')
      .innerJoinAndSelect('t.account', 'a')
      .where('t.token_hash = :hash', { hash: hashToken(token) })
      .andWhere('t.revoked_at IS NULL')
      .andWhere('(t.expires_at IS NULL OR t.expires_at > now())')
      .andWhere('a.disabled_at IS NULL')
      .getOne();
    if (!row?.account) return { ok: false, reason: 'The token is invalid, expired or revoked' };
    // At most one write a minute per token, decided from the row already read: no write on the hot path.
    if (!row.lastUsedAt || Date.now() - row.lastUsedAt.getTime() > 60_000) {
      await this.dataSource.query(`UPDATE api_token SET last_used_at = now() WHERE id = $1`, [row.id]);
    }
    return { ok: true, viewer: new Viewer(Role[row.account.role], row.account.id, row.account.email) };
  }

  /** The hashes of every token that is neither revoked nor expired (src/accounts/token-directory.ts). */
  async liveTokenHashes(): Promise<string[]> {
    const rows: { token_hash: string }[] = await this.dataSource.query(
      `SELECT token_hash FROM api_token WHERE revoked_at IS NULL AND (expires_at IS NULL OR expires_at > now())`,
    );
    return rows.map((row) => row.token_hash);
  }

  async createAccount(viewer: Viewer, input: CreateAccountInput, operation: string): Promise<Account> {
    const email = input.email.trim().toLowerCase();
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(Account);
      if (await repo.exists({ where: { email } })) throw UserInputError.of('input.email', 'an account with this email already exists');
      const account = await repo.save(repo.create({ email, role: input.role, displayName: input.displayName ?? null, disabledAt: null }));
      await this.audit.recordWrite(manager, viewer, {
        action: AuditAction.CREATE,
        operation,
        subjectType: 'Account',
        subjectId: account.id,
        changes: changesOf(null, account, ['email', 'role', 'displayName']),
      });
      return account;
    });
  }

  async updateAccount(viewer: Viewer, id: string, input: UpdateAccountInput, operation: string): Promise<Account> {
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(Account);
      const before = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      if (!before) throw new NotFoundError('Account');
      if (id === viewer.accountId && (input.disabled || (input.role && input.role !== before.role))) {
        throw UserInputError.of('input', 'you cannot change your own role or disable yourself; ask another admin');
      }
      const after = repo.merge(repo.create({ ...before }), {
        ...(input.role ? { role: input.role } : {}),
        ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
        ...(input.disabled !== undefined ? { disabledAt: input.disabled ? (before.disabledAt ?? new Date()) : null } : {}),
      });
      const changes: Record<string, { before: unknown; after: unknown }> = changesOf(before, after, ['role', 'displayName', 'disabledAt']);
      if (!Object.keys(changes).length) return before;
      const saved = await repo.save(after);
      if (!before.disabledAt && after.disabledAt) {
        // Disabling revokes every token, so that enabling the account again brings none back: its
        // holder makes new ones (the old ones may have leaked, which is often why it was disabled).
        // TypeORM answers an UPDATE with [rows, count].
        const [revoked]: [{ id: string }[], number] = await manager.query(
          `UPDATE api_token SET revoked_at = now() WHERE account_id = $1 AND revoked_at IS NULL RETURNING id`,
          [id],
        );
        if (revoked.length) changes.revokedTokens = { before: null, after: revoked.map((r) => r.id).sort() };
      }
      await this.audit.recordWrite(manager, viewer, { action: AuditAction.UPDATE, operation, subjectType: 'Account', subjectId: id, changes });
      return saved;
    });
  }

  findByEmail(email: string): Promise<Account | null> {
    return this.dataSource.getRepository(Account).findOne({ where: { email: email.trim().toLowerCase() } });
  }

  findById(id: string): Promise<Account | null> {
    return this.dataSource.getRepository(Account).findOne({ where: { id } });
  }

  /** Every account by email, for the command line. */
  all(): Promise<Account[]> {
    return this.dataSource.getRepository(Account).find({ order: { email: 'ASC' } });
  }

  list(page: PageArgs) {
    const qb = this.dataSource.getRepository(Account).createQueryBuilder('a');
    return paginate(qb, 'a', [{ expression: 'a.email', direction: 'ASC' }], page);
  }

  tokensOf(accountId: string): Promise<ApiToken[]> {
    return this.dataSource.getRepository(ApiToken).find({ where: { accountId }, order: { createdAt: 'DESC', id: 'ASC' } });
  }

  /** A new token for `input.accountId` (default: the viewer's own account). Only admins may create
   * one for someone else. Returns the token itself, which is never stored or shown again. */
  async createToken(viewer: Viewer, input: CreateApiTokenInput, operation: string): Promise<{ token: string; apiToken: ApiToken }> {
    const accountId = input.accountId ?? viewer.accountId;
    if (!accountId) throw UserInputError.of('input.accountId', 'is required when not signed in with an account');
    if (accountId !== viewer.accountId && !viewer.hasRole(Role.ADMIN)) {
      throw new ForbiddenError('Only admins may create tokens for another account');
    }
    return this.dataSource.transaction(async (manager) => {
      // Shared lock: a token cannot be made for an account that is being disabled at this moment
      // (it would escape that disable's revocation).
      const account = await manager.getRepository(Account).findOne({ where: { id: accountId }, lock: { mode: 'pessimistic_read' } });
      if (!account) throw new NotFoundError('Account');
      if (account.disabledAt) throw UserInputError.of('input.accountId', 'the account is disabled');
      const { token, hash, prefix } = generateToken();
      const repo = manager.getRepository(ApiToken);
      const apiToken = await repo.save(
        repo.create({
          accountId,
          name: input.name,
          prefix,
          tokenHash: hash,
          expiresAt: new Date(Date.now() + (input.expiresInDays ?? DEFAULT_TOKEN_DAYS) * DAY_MS),
          revokedAt: null,
          lastUsedAt: null,
        }),
      );
      await this.audit.recordWrite(manager, viewer, {
        action: AuditAction.CREATE,
        operation,
        subjectType: 'ApiToken',
        subjectId: apiToken.id,
        changes: changesOf(null, apiToken, ['accountId', 'name', 'prefix', 'expiresAt']),
      });
      return { token, apiToken };
    });
  }

  /** Revokes a token: the viewer's own, or anyone's for an admin. Revoking twice is harmless. */
  async revokeToken(viewer: Viewer, id: string, operation: string): Promise<ApiToken> {
    return this.dataSource.transaction(async (manager) => {
      const repo = manager.getRepository(ApiToken);
      const token = await repo.findOne({ where: { id }, lock: { mode: 'pessimistic_write' } });
      // Someone else's token is "not found" to a non-admin: no oracle for token ids.
      if (!token || (token.accountId !== viewer.accountId && !viewer.hasRole(Role.ADMIN))) throw new NotFoundError('API token');
      if (token.revokedAt) return token;
      await repo.update({ id, revokedAt: IsNull() }, { revokedAt: () => 'now()' });
      const revoked = await repo.findOneByOrFail({ id });
      await this.audit.recordWrite(manager, viewer, {
        action: AuditAction.UPDATE,
        operation,
        subjectType: 'ApiToken',
        subjectId: id,
        changes: { revokedAt: { before: null, after: revoked.revokedAt } },
      });
      return revoked;
    });
  }
}
