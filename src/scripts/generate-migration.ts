/* Generates a migration from the difference between the entities and the schema that the existing
 * migrations build, on a throwaway embedded PostgreSQL:  npm run migration:generate -- AddThing */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createDataSource } from '../database/data-source';
import { startEmbeddedPostgres } from '../database/embedded-postgres';
import { freePort } from '../database/free-port';

const GENERATION_DATABASE = 'postgres';

async function main(): Promise<void> {
  const name = process.argv[2];
  if (!name || !/^[A-Z][A-Za-z0-9]+$/.test(name)) {
    throw new Error('Usage: npm run migration:generate -- <PascalCaseName>');
  }
  const dir = mkdtempSync(join(tmpdir(), 'vigil-migration-'));
  const pg = await startEmbeddedPostgres({ dataDir: dir, port: await freePort(), persistent: false });
  try {
    const ds = createDataSource(pg.url(GENERATION_DATABASE));
    await ds.initialize();
    await ds.runMigrations({ transaction: 'each' });
    const sql = await ds.driver.createSchemaBuilder().log();
    await ds.destroy();
    if (sql.upQueries.length === 0) {
      console.log('The entities match the migrations: nothing to generate.');
      return;
    }
    // Enum types shared between tables (enumName) are emitted once per column by TypeORM: keep the
    // first CREATE TYPE and the last DROP TYPE of each.
    const firstOnly = <T extends { query: string }>(queries: T[], pattern: RegExp) => {
      const seen = new Set<string>();
      return queries.filter((q) => {
        const name = pattern.exec(q.query)?.[1];
        if (!name) return true;
        if (seen.has(name)) return false;
        seen.add(name);
        return true;
      });
    };
    sql.upQueries = firstOnly(sql.upQueries, /^CREATE TYPE ("[^ ]+")/);
    sql.downQueries = firstOnly(sql.downQueries, /^DROP TYPE ("[^ ]+")/); // run in reverse: last wins
    // TypeORM records generated columns in typeorm_metadata under the database's name; write
    // current_database() instead of the throwaway database's name so the rows match wherever the
    // migration runs.
    const portable = <T extends { query: string; parameters?: unknown[] }>(q: T): T => {
      const at = q.query.includes('typeorm_metadata') ? (q.parameters ?? []).indexOf(GENERATION_DATABASE) : -1;
      if (at < 0) return q;
      const query = q.query.replace(/\$(\d+)/g, (_, n: string) => {
        const i = Number(n) - 1;
        return i === at ? 'current_database()' : `$${i > at ? i : i + 1}`;
      });
      return { ...q, query, parameters: q.parameters!.filter((_, i) => i !== at) };
    };
    sql.upQueries = sql.upQueries.map(portable);
    sql.downQueries = sql.downQueries.map(portable);
    const timestamp = Date.now();
    const className = `${name}${timestamp}`;
    const q = (s: string) => '`' + s.replace(/\\/g, '\\\\').replace(/`/g, '\\`').replace(/\$\{/g, '\\${') + '`';
    const line = (query: { query: string; parameters?: unknown[] }) =>
      `    await queryRunner.query(${q(query.query)}${query.parameters?.length ? `, ${JSON.stringify(query.parameters)}` : ''});`;
    const body = `import { MigrationInterface, QueryRunner } from 'typeorm';

export class ${className} implements MigrationInterface {
  name = '${className}';

  public async up(queryRunner: QueryRunner): Promise<void> {
${sql.upQueries.map(line).join('\n')}
  }

  public async down(queryRunner: QueryRunner): Promise<void> {
${sql.downQueries.reverse().map(line).join('\n')}
  }
}
`;
    const file = join('migrations', `${timestamp}-${name}.ts`);
    writeFileSync(file, body);
    const index = readFileSync('migrations/index.ts', 'utf8')
      .replace(/^(\/\/.*\n)+/, (header) => `${header}import { ${className} } from './${timestamp}-${name}';\n`)
      .replace(/\[([^\]]*)\];/, (_, list: string) => `[${[...list.split(',').map((s) => s.trim()).filter(Boolean), className].join(', ')}];`);
    writeFileSync('migrations/index.ts', index);
    console.log(`Wrote ${file} (${sql.upQueries.length} statements) and registered it in migrations/index.ts`);
  } finally {
    await pg.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
