import 'reflect-metadata';
import { userInfo } from 'node:os';
import { Command, CommanderError, InvalidArgumentError } from 'commander';
import { DataSource } from 'typeorm';
import { AccountRole, Role } from '../access/role';
import { Viewer } from '../access/viewer';
import { AccountsService } from '../accounts/accounts.service';
import { CreateAccountInput, CreateApiTokenInput, DEFAULT_TOKEN_DAYS, UpdateAccountInput } from '../accounts/dto/account.inputs';
import { AuditService } from '../audit/audit.service';
import { NotFoundError, UserInputError } from '../common/errors';
import { validateInput } from '../common/validation.pipe';
import { ConfigError, loadConfig } from '../config/config';
import { createDataSource } from '../database/data-source';
import { openDatabase } from '../database/open-database';
import { prepareDataSource } from '../database/prepare';
import { ApiToken } from '../accounts/api-token.entity';

/** Who the command line acts as in the audit log: the operator at the machine, with admin powers. */
function operator(): Viewer {
  let name = 'unknown user';
  try {
    name = userInfo().username;
  } catch {
    // no passwd entry (some containers): keep the placeholder
  }
  return new Viewer(Role.ADMIN, null, `command line (${name})`);
}

/** Opens the database (migrating it, so the commands work on a fresh install), runs `fn`, closes. */
async function withServices<T>(fn: (services: { accounts: AccountsService; dataSource: DataSource }) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const log = (m: string) => process.stderr.write(`${m}\n`);
  const database = await openDatabase(config, { reuseRunning: true, log });
  try {
    const dataSource = createDataSource(database.url);
    await dataSource.initialize();
    try {
      await prepareDataSource(dataSource, { demoData: false, regions: false });
      return await fn({ accounts: new AccountsService(dataSource, new AuditService(dataSource)), dataSource });
    } finally {
      await dataSource.destroy();
    }
  } finally {
    await database.close();
  }
}

async function accountByEmail(accounts: AccountsService, email: string) {
  const account = await accounts.findByEmail(email);
  if (!account) throw UserInputError.of('--email', `no account with this email; create it with "account create"`);
  return account;
}

function role(value: string): AccountRole {
  const upper = value.toUpperCase();
  if (!(upper in AccountRole)) throw new InvalidArgumentError(`must be one of ${Object.values(AccountRole).join(', ')}`);
  return upper as AccountRole;
}

function positiveInt(value: string): number {
  if (!/^\d+$/.test(value)) throw new InvalidArgumentError('must be a whole number');
  return Number(value);
}

const out = (line: string) => process.stdout.write(`${line}\n`);

export function buildProgram(): Command {
  const program = new Command('vigil')
    .description('Vigil administration. Uses DATABASE_URL, or the embedded PostgreSQL (started if needed).')
    .exitOverride()
    .showHelpAfterError();

  const account = program.command('account').description('Create, list and change accounts');
  account
    .command('create')
    .description('Create an account (it gets no token until "token create")')
    .requiredOption('--email <email>', 'the account\'s email address')
    .requiredOption('--role <role>', `one of ${Object.values(AccountRole).join(', ')}`, role)
    .option('--name <name>', 'a display name')
    .action(async (opts: { email: string; role: AccountRole; name?: string }) => {
      const input = validateInput(CreateAccountInput, { email: opts.email, role: opts.role, displayName: opts.name }, 'input');
      const created = await withServices(({ accounts }) => accounts.createAccount(operator(), input, 'cli account create'));
      out(`Created ${created.role} account ${created.email} (id ${created.id})`);
    });
  account
    .command('update')
    .description('Change an account\'s role or name, or disable or enable it')
    .requiredOption('--email <email>', 'the account\'s email address')
    .option('--role <role>', `one of ${Object.values(AccountRole).join(', ')}`, role)
    .option('--name <name>', 'a display name')
    .option('--disable', 'disable the account and revoke its tokens (enabling it again brings none back)')
    .option('--enable', 'enable a disabled account')
    .action(async (opts: { email: string; role?: AccountRole; name?: string; disable?: boolean; enable?: boolean }) => {
      if (opts.disable && opts.enable) throw UserInputError.of('--disable', 'cannot be combined with --enable');
      const disabled = opts.disable ? true : opts.enable ? false : undefined;
      const input = validateInput(UpdateAccountInput, { role: opts.role, displayName: opts.name, disabled }, 'input');
      const updated = await withServices(async ({ accounts }) => {
        const found = await accountByEmail(accounts, opts.email);
        return accounts.updateAccount(operator(), found.id, input, 'cli account update');
      });
      out(`${updated.email}: ${updated.role}${updated.disabledAt ? ', disabled' : ''}`);
    });
  account
    .command('list')
    .description('List every account')
    .action(async () => {
      await withServices(async ({ accounts }) => {
        for (const a of await accounts.all()) out(`${a.email}\t${a.role}${a.disabledAt ? '\tdisabled' : ''}\t${a.id}`);
      });
    });

  const token = program.command('token').description('Create, list and revoke API tokens');
  token
    .command('create')
    .description('Create an API token and print it as the last line (shown once: store it)')
    .requiredOption('--email <email>', 'whose token')
    .option('--name <name>', 'what the token is for', 'command line')
    .option('--expires-in-days <days>', `days until it expires (default ${DEFAULT_TOKEN_DAYS})`, positiveInt)
    .action(async (opts: { email: string; name: string; expiresInDays?: number }) => {
      const { token: secret, apiToken, email } = await withServices(async ({ accounts }) => {
        const found = await accountByEmail(accounts, opts.email);
        const input = validateInput(CreateApiTokenInput, { accountId: found.id, name: opts.name, expiresInDays: opts.expiresInDays }, 'input');
        return { ...(await accounts.createToken(operator(), input, 'cli token create')), email: found.email };
      });
      out(`Token "${apiToken.name}" (id ${apiToken.id}) for ${email}, expires ${apiToken.expiresAt?.toISOString() ?? 'never'}.`);
      out('It is shown only now; send it as "Authorization: Bearer <token>":');
      out(secret);
    });
  token
    .command('list')
    .description('List an account\'s tokens (never the tokens themselves)')
    .requiredOption('--email <email>', 'whose tokens')
    .action(async (opts: { email: string }) => {
      await withServices(async ({ accounts }) => {
        const found = await accountByEmail(accounts, opts.email);
        const tokens = await accounts.tokensOf(found.id);
        if (tokens.length === 0) out(`${found.email} has no tokens (make one with "token create")`);
        for (const t of tokens) {
          const state = t.revokedAt ? 'revoked' : t.expiresAt && t.expiresAt < new Date() ? 'expired' : 'active';
          out(`${t.id}\t${t.prefix}…\t${t.name}\t${state}\texpires ${t.expiresAt?.toISOString() ?? 'never'}`);
        }
      });
    });
  token
    .command('revoke')
    .description('Revoke a token by id: it stops working at once')
    .requiredOption('--id <id>', 'the token id (see "token list")')
    .action(async (opts: { id: string }) => {
      if (!/^[0-9a-f-]{36}$/i.test(opts.id)) throw UserInputError.of('--id', 'must be a token id (UUID)');
      const { revoked, already } = await withServices(async ({ accounts, dataSource }) => {
        const before = await dataSource.getRepository(ApiToken).findOneBy({ id: opts.id });
        return { revoked: await accounts.revokeToken(operator(), opts.id, 'cli token revoke'), already: Boolean(before?.revokedAt) };
      });
      // Exit 0 either way: what was asked for, a token that no longer works, holds.
      if (already) out(`Token ${revoked.id} (${revoked.prefix}…) was already revoked, at ${revoked.revokedAt!.toISOString()}; nothing changed`);
      else out(`Revoked token ${revoked.id} (${revoked.prefix}…)`);
    });

  program
    .command('generate')
    .description('Fill a database that holds no incidents with synthetic data (load tests); refuses any other')
    .requiredOption('--incidents <n>', 'number of incidents; the other tables are sized from it', (value: string) => {
      const incidents = positiveInt(value);
      if (incidents < 1) throw new InvalidArgumentError('must be at least 1');
      return incidents;
    })
    .option('--seed <n>', 'seed: the same seed gives the same rows, ids included', positiveInt, 1)
    .action(async (opts: { incidents: number; seed: number }) => {
      const log = (line: string) => process.stderr.write(`${line}\n`);
      // Loaded by the commands that use them: every other command starts faster.
      // eslint-disable-next-line @typescript-eslint/no-require-imports
      const { generateData } = require('../generate/generator') as typeof import('../generate/generator');
      const summary = await withServices(({ dataSource }) => generateData(dataSource, { incidents: opts.incidents, seed: opts.seed, log }));
      const tables = Object.entries(summary.rows).map(([table, rows]) => `${table} ${rows}`).join(', ');
      const rate = Math.round(summary.totalRows / summary.seconds);
      out(`Generated ${summary.totalRows} rows in ${summary.seconds.toFixed(1)} s (${rate} rows/s), seed ${summary.seed}: ${tables}`);
    });

  program
    .command('import')
    .description(
      'Load sources, incidents, responses and citations from CSV files as the exports write them: every row validated by the ' +
        'API\'s rules, all files or nothing, idempotent on the id column (docs/import.md)',
    )
    .argument('<files...>', 'CSV exports (sources.csv, incidents.csv, responses.csv, citations.csv), in any order: each is recognised by its header')
    .option('--write-ids', 'beside each file with rows that had no id, write a copy with the new ids (incidents.with-ids.csv)')
    .action(async (files: string[], opts: { writeIds?: boolean }) => {
      /* eslint-disable @typescript-eslint/no-require-imports */
      const { planImport, runImport, writeIds } = require('../imports/importer') as typeof import('../imports/importer');
      const { ProgressBar, ProgressLines } = require('../imports/progress') as typeof import('../imports/progress');
      const { keepHeapNearLiveSet } = require('../imports/heap') as typeof import('../imports/heap');
      /* eslint-enable @typescript-eslint/no-require-imports */
      keepHeapNearLiveSet();
      // Headers are checked before the database is opened: a wrong file costs nothing.
      const plans = await planImport(files);
      const log = (line: string) => process.stderr.write(`${line}\n`);
      const progress = process.stderr.isTTY ? new ProgressBar(process.stderr) : new ProgressLines(log);
      const summary = await withServices(({ dataSource }) => runImport(dataSource, plans, { viewer: operator(), operation: 'cli import', progress }));
      for (const f of summary.files) {
        out(`${f.file} (${f.kind}): ${f.rows} rows: ${f.created} created, ${f.updated} updated, ${f.unchanged} unchanged`);
        if (!f.newIds.length) continue;
        if (opts.writeIds) out(`  ${f.newIds.length} rows had no id: the copy with their new ids is ${await writeIds(f)}`);
        else for (const { line, id } of f.newIds) out(`  line ${line}: new id ${id}`);
      }
      const rate = Math.round(summary.rows / Math.max(summary.seconds, 0.001));
      out(
        `Imported ${summary.rows} rows in ${summary.seconds.toFixed(1)} s (${rate} rows/s): ` +
          `${summary.created} created, ${summary.updated} updated, ${summary.unchanged} unchanged`,
      );
    });
  return program;
}

/** Runs the command line; resolves to the exit code. */
export async function run(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2; // commander printed the message
    if (error instanceof UserInputError) {
      for (const p of (error.extensions.problems as { path: string; message: string }[]) ?? []) process.stderr.write(`error: ${p.path}: ${p.message}\n`);
      return 2;
    }
    if (error instanceof ConfigError || error instanceof NotFoundError) {
      process.stderr.write(`error: ${error.message}\n`);
      return 2;
    }
    process.stderr.write(`error: ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
}

// Run as a program: directly, or through scripts/fresh-build.js (`npm run vigil`), which sets argv[1].
if (require.main === module || process.argv[1] === __filename) {
  void run(process.argv.slice(2)).then((code) => process.exit(code));
}
