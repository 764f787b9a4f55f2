/* The import measurement (issue 18): `npm run vigil -- import` of 100,000 incidents with their
 * citations and sources, in the export format (docs/import.md), into a fresh Vigil database, timed
 * end to end with the process's peak RSS; against a COPY of the same files into bare tables of
 * text columns on the same server, in the same run.
 *
 * A step of `npm run bench` (skip with --skip-import), or alone:
 *   npm run bench:import -- [--import-incidents 100000] [--keep-files]
 * Alone, it starts a throwaway embedded PostgreSQL (or uses BENCH_DATABASE_URL's server). */
import { Random } from '../src/generate/random';
import { spawn } from 'node:child_process';
import { createReadStream, createWriteStream, existsSync, mkdirSync, readFileSync, rmSync } from 'node:fs';
import { once } from 'node:events';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pipeline } from 'node:stream/promises';
import { parseArgs } from 'node:util';
import { Client } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { freePort } from '../src/database/free-port';
import { prepareDatabase } from '../src/database/prepare';
import { query, REPO, round } from './database';
import { cleanup, runMain } from './processes';

export interface ImportFigures {
  incidents: number;
  sources: number;
  citations: number;
  /** Rows of the three files. */
  rows: number;
  /** Seconds from starting the command to its exit (planning, validation, writing, commit). */
  seconds: number;
  /** Rows of all three files per second: the goal's figure (≥ 2,000). */
  rowsPerSecond: number;
  incidentsPerSecond: number;
  /** Peak resident set size of the import process (VmHWM), MB: goal < 300. */
  peakRssMb: number;
  /** What the import wrote, checked after it: a revision and an audit entry per record. */
  written: { records: number; revisions: number; auditEntries: number };
  /** COPY of the same files into bare tables of text columns (no index, no rule), same server. */
  copy: { seconds: number; rowsPerSecond: number };
  /** Import rows/s over COPY rows/s. */
  ratioToCopy: number;
}

/** A UUID (version 4 form) from a kind and a number: the files refer to each other by them. */
const idOf = (kind: number, n: number) => `${kind.toString(16).padStart(8, '0')}-0000-4000-8000-${n.toString(16).padStart(12, '0')}`;

const INCIDENT_KINDS = ['DETENTION', 'ABDUCTION', 'ENFORCED_DISAPPEARANCE', 'TORTURE_OR_ILL_TREATMENT', 'KILLING', 'THREAT_OR_HARASSMENT', 'OTHER'];
const SOURCE_KINDS = ['NEWS_REPORT', 'NGO_REPORT', 'OFFICIAL_STATEMENT', 'COURT_DOCUMENT', 'SOCIAL_MEDIA'];
const REGIONS = ['RU-CE', 'RU-IN', 'RU-DA', 'ru-mow', 'UA', 'GE', 'AM', 'AZ', 'SY', 'TR', 'BY', 'KZ'];
const WORDS = 'detained abducted reported witnesses village police checkpoint family lawyer court released beaten missing night officers protest journalist activist'.split(' ');

const csvCell = (v: string | number | null) => (v === null ? '' : typeof v === 'number' ? String(v) : /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

async function writeCsv(path: string, header: string[], rows: Iterable<(string | number | null)[]>): Promise<number> {
  const out = createWriteStream(path);
  let count = 0;
  const write = async (line: string) => {
    if (!out.write(line)) await once(out, 'drain');
  };
  await write(`${header.join(',')}\n`);
  let buffer = '';
  for (const row of rows) {
    buffer += `${row.map(csvCell).join(',')}\n`;
    count++;
    if (buffer.length > 1 << 16) {
      await write(buffer);
      buffer = '';
    }
  }
  out.end(buffer);
  await once(out, 'finish');
  return count;
}

export interface ImportFiles {
  dir: string;
  sources: string;
  incidents: string;
  citations: string;
  counts: { sources: number; incidents: number; citations: number };
}

/**
 * Three files as the exports write them (a subset of their columns, as a hand-made file has): a
 * source per ten incidents (nine in ten PUBLIC), incidents at every level, one to three citations
 * each. A PUBLIC incident's first citation is PUBLIC and cites a PUBLIC source (the publication
 * rule); regions in either case; every row valid, so the whole set is written.
 */
export async function writeImportFiles(dir: string, incidents: number): Promise<ImportFiles> {
  mkdirSync(dir, { recursive: true });
  const generator = new Random(18, 'import files');
  const rnd = () => generator.float();
  const pick = <T>(list: readonly T[]) => list[Math.floor(rnd() * list.length)];
  const words = (n: number) => Array.from({ length: n }, () => pick(WORDS)).join(' ');
  const day = (n: number) => new Date(Date.UTC(2005, 0, 1) + (n % 7000) * 86_400_000).toISOString().slice(0, 10);
  const sourceCount = Math.max(10, Math.ceil(incidents / 10));
  const publicSource = (n: number) => n % 10 !== 9;

  const sources = join(dir, 'sources.csv');
  const sourceRows = await writeCsv(
    sources,
    ['id', 'kind', 'publisher', 'title', 'url', 'published_start', 'published_precision', 'language', 'confidentiality'],
    (function* () {
      for (let n = 0; n < sourceCount; n++) {
        yield [idOf(1, n), pick(SOURCE_KINDS), `Publisher ${n % 400}`, `Report ${n}: ${words(6)}`, `https://example.org/reports/${n}`, day(n), 'DAY', 'en', publicSource(n) ? 'PUBLIC' : 'RESTRICTED'];
      }
    })(),
  );

  const levels: string[] = [];
  const incidentsPath = join(dir, 'incidents.csv');
  const incidentRows = await writeCsv(
    incidentsPath,
    ['id', 'kind', 'headline', 'description', 'date_start', 'date_precision', 'region_code', 'locality', 'victims_best', 'victims_basis', 'internal_notes', 'language', 'confidentiality'],
    (function* () {
      for (let n = 0; n < incidents; n++) {
        const r = rnd();
        const level = r < 0.6 ? 'PUBLIC' : r < 0.9 ? 'RESTRICTED' : 'CONFIDENTIAL';
        levels.push(level);
        const month = rnd() < 0.3;
        const date = day(n * 7);
        yield [
          idOf(2, n),
          pick(INCIDENT_KINDS),
          `${words(3)} in ${pick(['Grozny', 'Nazran', 'Makhachkala', 'Tbilisi', 'Kharkiv'])}`,
          `${words(40)}.`,
          month ? date.slice(0, 7) : date,
          month ? 'MONTH' : 'DAY',
          pick(REGIONS),
          rnd() < 0.5 ? null : `District ${n % 97}`,
          rnd() < 0.7 ? 1 + Math.floor(rnd() * 12) : null,
          rnd() < 0.7 ? 'DOCUMENTED' : null,
          rnd() < 0.2 ? `Follow up with ${words(4)}` : null,
          'en',
          level,
        ];
      }
    })(),
  );

  const citations = join(dir, 'citations.csv');
  const citationRows = await writeCsv(
    citations,
    ['id', 'source_id', 'incident_id', 'claim', 'excerpt', 'locator', 'confidentiality'],
    (function* () {
      let c = 0;
      for (let n = 0; n < incidents; n++) {
        const count = 1 + Math.floor(rnd() * 3);
        for (let k = 0; k < count; k++) {
          let source = Math.floor(rnd() * sourceCount);
          if (k === 0 && !publicSource(source)) source = (source + 1) % sourceCount;
          yield [idOf(3, c++), idOf(1, source), idOf(2, n), words(5), rnd() < 0.5 ? `"${words(12)}"` : null, rnd() < 0.3 ? `p. ${1 + (n % 40)}` : null, k === 0 ? 'PUBLIC' : pick(['PUBLIC', 'RESTRICTED'])];
        }
      }
    })(),
  );
  return { dir, sources, incidents: incidentsPath, citations, counts: { sources: sourceRows, incidents: incidentRows, citations: citationRows } };
}

/** `url` with another database. */
function onDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

/** Runs the command line's import as `npm run vigil -- import` does, preloading the peak-RSS
 * reporter. Resolves with its wall time and VmHWM. */
function runCli(databaseUrl: string, files: string[], log: (line: string) => void): Promise<{ seconds: number; peakKb: number }> {
  const rssFile = join(tmpdir(), `vigil-import-rss-${process.pid}-${Date.now()}`);
  return new Promise((done, fail) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, ['-r', join(__dirname, 'peak-rss.js'), join(REPO, 'dist', 'src', 'cli', 'vigil.js'), 'import', ...files], {
      env: { ...process.env, DATABASE_URL: databaseUrl, BENCH_PEAK_RSS_FILE: rssFile, LOG_LEVEL: 'warn', CI: 'true' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    cleanup.children.add(child);
    let tail = '';
    const forward = (chunk: Buffer) => {
      tail = (tail + chunk.toString()).slice(-4000);
      for (const line of chunk.toString().split('\n')) if (line.trim()) log(`  import: ${line.trim()}`);
    };
    child.stdout.on('data', forward);
    child.stderr.on('data', forward);
    child.on('exit', (code, signal) => {
      cleanup.children.delete(child);
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      if (code !== 0) return fail(new Error(`the import failed (${signal ?? `exit code ${code}`}): ${tail}`));
      const peakKb = existsSync(rssFile) ? Number(readFileSync(rssFile, 'utf8')) : NaN;
      rmSync(rssFile, { force: true });
      done({ seconds, peakKb });
    });
  });
}

/** COPY of the files, as they are, into tables of text columns: PostgreSQL's own speed at taking
 * these rows, from the same client machine. */
async function copyBaseline(url: string, files: ImportFiles): Promise<number> {
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const started = process.hrtime.bigint();
    for (const [name, path] of [['sources', files.sources], ['incidents', files.incidents], ['citations', files.citations]] as const) {
      const header = readFileSync(path, 'utf8').slice(0, 2000).split('\n')[0].split(',');
      await client.query(`CREATE TABLE bare_${name} (${header.map((h) => `"${h}" text`).join(', ')})`);
      await pipeline(createReadStream(path), client.query(copyFrom(`COPY bare_${name} FROM STDIN WITH (FORMAT csv, HEADER true)`)));
    }
    return Number(process.hrtime.bigint() - started) / 1e9;
  } finally {
    await client.end();
  }
}

/** Generates the files, imports them into a fresh database on `serverUrl`'s server (a superuser
 * URL), checks what was written, and times COPY of the same files into another. */
export async function measureImport(serverUrl: string, options: { incidents: number; log: (line: string) => void; keepFiles?: boolean }): Promise<ImportFigures> {
  const { log } = options;
  const dir = join(REPO, '.vigil', 'bench', `import-${options.incidents}`);
  log(`import: writing the files for ${options.incidents} incidents in ${dir}`);
  rmSync(dir, { recursive: true, force: true });
  const files = await writeImportFiles(dir, options.incidents);
  const rows = files.counts.sources + files.counts.incidents + files.counts.citations;
  log(`import: ${files.counts.sources} sources, ${files.counts.incidents} incidents, ${files.counts.citations} citations`);

  const target = 'vigil_import_bench';
  const baseline = 'vigil_import_bench_copy';
  const fresh = async (name: string) => {
    await query(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
    await query(serverUrl, `CREATE DATABASE ${name}`);
  };
  try {
    await fresh(target);
    const url = onDatabase(serverUrl, target);
    // Migrated, with regions, as a new deployment is before its first import.
    await prepareDatabase(url, { demoData: false });
    log('import: npm run vigil -- import sources.csv incidents.csv citations.csv');
    const run = await runCli(url, [files.sources, files.incidents, files.citations], log);
    const [written] = await query<{ records: number; revisions: number; audit: number }>(
      url,
      `SELECT (SELECT count(*) FROM source) + (SELECT count(*) FROM incident) + (SELECT count(*) FROM citation) AS records,
              (SELECT count(*) FROM revision WHERE action = 'CREATE') AS revisions,
              (SELECT count(*) FROM audit_event WHERE operation = 'cli import' AND action = 'CREATE') AS audit`,
    );
    const check = { records: Number(written.records), revisions: Number(written.revisions), auditEntries: Number(written.audit) };
    if (check.records !== rows || check.revisions !== rows || check.auditEntries !== rows) {
      throw new Error(`the import wrote ${JSON.stringify(check)} for ${rows} rows`);
    }

    await fresh(baseline);
    const copySeconds = await copyBaseline(onDatabase(serverUrl, baseline), files);
    const rowsPerSecond = Math.round(rows / run.seconds);
    const copyRowsPerSecond = Math.round(rows / copySeconds);
    return {
      incidents: files.counts.incidents,
      sources: files.counts.sources,
      citations: files.counts.citations,
      rows,
      seconds: round(run.seconds, 1),
      rowsPerSecond,
      incidentsPerSecond: Math.round(files.counts.incidents / run.seconds),
      peakRssMb: round(run.peakKb / 1024, 0),
      written: check,
      copy: { seconds: round(copySeconds, 2), rowsPerSecond: copyRowsPerSecond },
      ratioToCopy: round(rowsPerSecond / copyRowsPerSecond, 3),
    };
  } finally {
    for (const name of [target, baseline]) await query(serverUrl, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`).catch(() => undefined);
    if (!options.keepFiles) rmSync(dir, { recursive: true, force: true });
  }
}

/** The size of the import `npm run bench` measures (the goal's). */
export const IMPORT_INCIDENTS = 100_000;

/** Issue 18's goals for the import. */
export const IMPORT_GOALS = { rowsPerSecond: 2000, peakRssMb: 300 };

/** The report's line: the figures against the goals. */
export function importGoalLine(f: ImportFigures): string {
  const mark = (ok: boolean) => (ok ? 'met' : '**not met**');
  return (
    `Import (\`npm run vigil -- import\`, bench/import.ts): ${f.rowsPerSecond} rows/s end to end for ${f.incidents.toLocaleString('en')} incidents with ` +
    `${f.citations.toLocaleString('en')} citations and ${f.sources.toLocaleString('en')} sources (goal ≥ ${IMPORT_GOALS.rowsPerSecond}: ` +
    `${mark(f.rowsPerSecond >= IMPORT_GOALS.rowsPerSecond)}; ${f.incidentsPerSecond} incidents/s), a revision and an audit entry per record; ` +
    `peak RSS ${f.peakRssMb} MB (goal < ${IMPORT_GOALS.peakRssMb}: ${mark(f.peakRssMb < IMPORT_GOALS.peakRssMb)}); ` +
    `${f.ratioToCopy} of the rows/s of COPY into bare tables (${f.copy.rowsPerSecond} rows/s).`
  );
}

/** One line for logs. */
export function describeImport(f: ImportFigures): string {
  return (
    `${f.rows} rows (${f.incidents} incidents, ${f.citations} citations, ${f.sources} sources) in ${f.seconds} s: ${f.rowsPerSecond} rows/s ` +
    `(${f.incidentsPerSecond} incidents/s), peak RSS ${f.peakRssMb} MB; COPY into bare tables ${f.copy.rowsPerSecond} rows/s (import ${f.ratioToCopy}× COPY)`
  );
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: { 'import-incidents': { type: 'string', default: '100000' }, 'keep-files': { type: 'boolean', default: false } },
  });
  const incidents = Number(values['import-incidents']);
  if (!Number.isInteger(incidents) || incidents < 10) throw new Error('--import-incidents must be a whole number, at least 10');
  const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);
  let serverUrl = process.env.BENCH_DATABASE_URL;
  if (!serverUrl) {
    const dataDir = mkdtempSync(join(tmpdir(), 'vigil-bench-import-'));
    const server = await startEmbeddedPostgres({ dataDir: join(dataDir, 'pgdata'), port: await freePort(), persistent: false, onLog: () => undefined });
    cleanup.add('PostgreSQL', async () => {
      await server.stop();
      rmSync(dataDir, { recursive: true, force: true });
    });
    serverUrl = server.url();
  }
  const figures = await measureImport(serverUrl, { incidents, log, keepFiles: values['keep-files'] });
  log(`import: ${describeImport(figures)}`);
  process.stdout.write(`${JSON.stringify({ import: figures }, null, 2)}\n`);
}

if (require.main === module) {
  runMain(main);
}
