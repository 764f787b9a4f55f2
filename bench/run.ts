/* `npm run bench`: issue 7's measurements in one run on one database. See bench/README.md.
 *
 *   npm run bench -- [--incidents 200000] [--seed 1] [--duration 10] [--connections 8]
 *                    [--latency-duration 5] [--warmup 2] [--fresh] [--no-cache] [--profile]
 *                    [--skip-export] [--skip-import] [--out bench/results]
 */
import { execFileSync } from 'node:child_process';
import { isDeepStrictEqual, parseArgs } from 'node:util';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { freePort } from '../src/database/free-port';
import { measureExport, ExportFigures } from './csv-export';
import {
  BenchDatabase,
  installPostGraphileSchema,
  openBenchDatabase,
  REPO,
  cancelRunningStatements,
  resetStatementStatistics,
  round,
  serviceRoleUrl,
  statementStatistics,
  StatementSummary,
  StatementTotals,
} from './database';
import { LoadFigures, LoadTarget, run, Series } from './load';
import { BenchServer, cleanup, runMain, startServer } from './processes';
import { markdownReport, NAMES } from './report';
import { measureTimeline, TimelineFigures, timelineTitle } from './timeline';
import { graphql, PAGE_SIZE, Read, ReadName, READS } from './requests';
import { addHiddenMatches, HiddenRowsFigures, measureHiddenRows, removeHiddenMatches } from './hidden-rows';
import { describeImport, IMPORT_INCIDENTS, ImportFigures, measureImport } from './import';
import type { RecordedStatement } from './protocol';

export type Target = 'vigil' | 'postgraphile5' | 'postgraphile4' | 'direct';
export const TARGETS: Target[] = ['vigil', 'postgraphile5', 'postgraphile4', 'direct'];
/** The GraphQL servers Vigil is compared with, each checked for the same data. */
export const POSTGRAPHILES = ['postgraphile5', 'postgraphile4'] as const;
export type PostGraphile = (typeof POSTGRAPHILES)[number];

/** Measurements beyond the GraphQL reads compared with PostGraphile. */
const EXTRAS = ['timeline', 'hidden'] as const;
type Extra = (typeof EXTRAS)[number];

export interface Options {
  incidents: number;
  seed: number;
  duration: number;
  latencyDuration: number;
  warmup: number;
  connections: number;
  rounds: number;
  fresh: boolean;
  noCache: boolean;
  profile: boolean;
  skipExport: boolean;
  /** Skip the import measurement (bench/import.ts). */
  skipImport: boolean;
  /** The reads to measure (all by default); `timeline` is the timeline of one country and year
   * (GraphQL and export), `hidden` the hidden-rows comparison. */
  reads: (ReadName | Extra)[];
  out: string;
}

export interface ReadResult {
  name: ReadName;
  title: string;
  /** Vigil and each PostGraphile returned the same data (normalised); where not, the first difference. */
  sameData: Record<PostGraphile, boolean>;
  difference: Partial<Record<PostGraphile, string>>;
  /** Why Vigil's statement count differs between page sizes, when it does. */
  statementNote?: string;
  /** SQL statements per request, by page size ("all" when the read has none). */
  statements: Record<Target, Record<string, number>>;
  load: Partial<Record<Target, { loaded: LoadFigures; single: LoadFigures; database: StatementSummary | null }>>;
}

export interface Results {
  startedAt: string;
  finishedAt: string;
  wallSeconds: number;
  options: Options;
  machine: { cpus: number; memoryGB: number; node: string; loadAverageStart: number[]; loadAverageEnd: number[] };
  commit: string;
  database: { origin: string; incidents: number; seed: number; generatedSeconds: number | null; postgres: string; pgStatStatements: boolean };
  reads: ReadResult[];
  export: ExportFigures | null;
  /** An anonymous search with hidden matches against one without (issue 14, class 4). */
  hiddenRows: HiddenRowsFigures | null;
  /** The timeline of one country and year, through GraphQL and the export (issue 18). */
  timeline: TimelineFigures | null;
  /** `npm run vigil -- import` of 100,000 incidents with citations into a fresh database (issue 18);
   * null when skipped. */
  import?: ImportFigures | null;
  vigilStatementsPerRead: Record<string, { text: string; wave: number }[]>;
}

function parseOptions(argv: string[]): Options {
  const { values } = parseArgs({
    args: argv,
    options: {
      incidents: { type: 'string', default: '200000' },
      seed: { type: 'string', default: '1' },
      duration: { type: 'string', default: '10' },
      'latency-duration': { type: 'string' },
      warmup: { type: 'string', default: '2' },
      connections: { type: 'string', default: '8' },
      rounds: { type: 'string', default: '2' },
      fresh: { type: 'boolean', default: false },
      'no-cache': { type: 'boolean', default: false },
      profile: { type: 'boolean', default: false },
      'skip-export': { type: 'boolean', default: false },
      'skip-import': { type: 'boolean', default: false },
      reads: { type: 'string', default: [...READS.map((r) => r.name), ...EXTRAS].join(',') },
      out: { type: 'string', default: join(REPO, 'bench', 'results') },
      help: { type: 'boolean', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${readUsage()}\n`);
    process.exit(0);
  }
  const int = (name: string, value: string | undefined, min: number) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new Error(`--${name} must be a whole number, at least ${min}`);
    return n;
  };
  const duration = int('duration', values.duration, 1);
  return {
    incidents: int('incidents', values.incidents, 1000),
    seed: int('seed', values.seed, 0),
    duration,
    latencyDuration: int('latency-duration', values['latency-duration'] ?? String(Math.max(3, Math.ceil(duration / 2))), 1),
    warmup: int('warmup', values.warmup, 0),
    connections: int('connections', values.connections, 1),
    rounds: int('rounds', values.rounds, 1),
    fresh: values.fresh!,
    noCache: values['no-cache']!,
    profile: values.profile!,
    skipExport: values['skip-export']!,
    skipImport: values['skip-import']!,
    reads: readNames(values.reads!),
    out: resolve(values.out!),
  };
}

function readNames(list: string): Options['reads'] {
  const names = list.split(',').map((n) => n.trim()).filter(Boolean);
  const known = [...READS.map((r) => r.name as string), ...EXTRAS];
  const unknown = names.filter((n) => !known.includes(n));
  if (unknown.length || !names.length) throw new Error(`--reads must list some of ${known.join(', ')}${unknown.length ? `; not ${unknown.join(', ')}` : ''}`);
  return names as Options['reads'];
}

function readUsage(): string {
  return `npm run bench -- [options]
  --incidents N         incidents to generate (default 200000; 1000000 for the million-row export)
  --seed S              generator seed (default 1)
  --duration S          seconds of load per server and read, at --connections (default 10)
  --latency-duration S  seconds at one connection, for unloaded latency (default duration/2, at least 3)
  --warmup S            seconds of discarded warm-up load per server and read (default 2)
  --connections C       concurrent connections of the load generator (default 8)
  --rounds R            split each duration in R rounds, servers taking turns, so that a burst of
                        other work on the machine hits all of them alike (default 2)
  --fresh               regenerate the cached database
  --no-cache            generate into a throwaway directory, removed at the end
  --profile             write a CPU profile of the Vigil process (.vigil/bench/logs/*.cpuprofile)
  --skip-export         skip the CSV export measurement
  --skip-import         skip the import measurement (alone: npm run bench:import)
  --reads LIST          the reads to measure, comma-separated (default page,monthly,search,searchCountry,timeline,hidden;
                        timeline: one country and year through GraphQL and /exports/timeline.json;
                        hidden: an anonymous search with 2,000 hidden matches against one with none)
  --out DIR             where results go (default bench/results)
Env: BENCH_DATABASE_URL  a PostgreSQL server (superuser URL) to use instead of the embedded one`;
}

const log = (line: string) => process.stderr.write(`[bench ${new Date().toISOString().slice(11, 19)}] ${line}\n`);

function commitOf(): string {
  try {
    const git = (...args: string[]) => execFileSync('git', args, { cwd: REPO, encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    const head = git('rev-parse', '--short', 'HEAD');
    const dirty = git('status', '--porcelain', '--', 'src', 'migrations');
    return dirty ? `${head} (with uncommitted changes in src/ or migrations/)` : head;
  } catch {
    return 'unknown';
  }
}

/** A token of an editor account, made (once per database) through the service's own command line:
 * the export is measured on every incident, as an editor's export with includeDeleted has it. */
function editorToken(databaseUrl: string): string {
  const email = 'bench-editor@vigil.invalid';
  const vigil = (...args: string[]) =>
    execFileSync(process.execPath, [join(REPO, 'dist', 'src', 'cli', 'vigil.js'), ...args], {
      env: { ...process.env, DATABASE_URL: databaseUrl, LOG_LEVEL: 'warn' },
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'pipe'],
    });
  if (!vigil('account', 'list').includes(email)) vigil('account', 'create', '--email', email, '--role', 'EDITOR', '--name', 'benchmark');
  return vigil('token', 'create', '--email', email, '--name', 'benchmark export', '--expires-in-days', '1').trim().split('\n').at(-1)!;
}

/** Where the first difference between two normalised answers is, for the report. */
function firstDifference(a: unknown, b: unknown, path = '$'): string {
  if (isDeepStrictEqual(a, b)) return '';
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) return `${path}: ${a.length} items vs ${b.length}`;
    for (let i = 0; i < a.length; i++) {
      const d = firstDifference(a[i], b[i], `${path}[${i}]`);
      if (d) return d;
    }
  }
  if (a && b && typeof a === 'object' && typeof b === 'object') {
    for (const key of new Set([...Object.keys(a), ...Object.keys(b)])) {
      const d = firstDifference((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key], `${path}.${key}`);
      if (d) return d;
    }
  }
  return `${path}: ${JSON.stringify(a)?.slice(0, 200)} vs ${JSON.stringify(b)?.slice(0, 200)}`;
}

/** When a smaller page sends fewer statements, which tables' batches it did without. */
function noteOnCounts(tablesBySize: Map<number, string[]>): string | undefined {
  const sizes = [...tablesBySize.keys()].sort((a, b) => a - b);
  const notes: string[] = [];
  for (const size of sizes.slice(0, -1)) {
    const larger = [...tablesBySize.get(sizes.at(-1)!)!];
    for (const table of tablesBySize.get(size)!) larger.splice(larger.indexOf(table), larger.includes(table) ? 1 : 0);
    const fewer = tablesBySize.get(sizes.at(-1)!)!.length - tablesBySize.get(size)!.length;
    if (fewer > 0) {
      notes.push(
        `at first ${size}, ${fewer} statement(s) fewer: no batch on ${larger.join(', ')} ` +
          '(a relation with nothing to load sends no statement: none of those incidents has one)',
      );
    } else if (fewer < 0) {
      notes.push(`at first ${size}, ${-fewer} statement(s) more than at first ${sizes.at(-1)}`);
    }
  }
  return notes.length ? notes.join('; ') : undefined;
}

async function countStatements(server: BenchServer, url: string, body: object, record = false): Promise<{ count: number; statements: RecordedStatement[] }> {
  await server.resetStatements(record);
  await graphql(url, body as never);
  // Statements sent after the answer (none expected) would be missed; a short pause catches stragglers.
  await new Promise((r) => setTimeout(r, 50));
  return server.statements();
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv.slice(2));
  const selected = READS.filter((r) => options.reads.includes(r.name));
  const hiddenRows = options.reads.includes('hidden');
  const started = Date.now();
  const startedAt = new Date().toISOString();
  const loadAverageStart = loadavg().map((l) => round(l, 2));
  const logDir = join(REPO, '.vigil', 'bench', 'logs');
  mkdirSync(logDir, { recursive: true });
  mkdirSync(options.out, { recursive: true });
  const serviceScript = join(REPO, 'dist', 'src', 'main.js');
  if (!existsSync(serviceScript)) throw new Error(`${serviceScript} is missing: run "npm run build" (npm run bench does)`);
  log(`options: ${JSON.stringify(options)}; logs in ${relative(REPO, logDir)}`);

  const db: BenchDatabase = await openBenchDatabase({ incidents: options.incidents, seed: options.seed, fresh: options.fresh, noCache: options.noCache, log });
  log(`database ready (${db.origin}${db.generatedSeconds !== null ? `, generated in ${db.generatedSeconds.toFixed(0)} s` : ''}); PostgreSQL ${db.serverVersion}; pg_stat_statements ${db.pgStatStatements ? 'on' : 'off'}`);
  await installPostGraphileSchema(db.url);

  const [vigilPort, postgraphile5Port, postgraphile4Port, directPort] = [await freePort(), await freePort(), await freePort(), await freePort()];
  const serviceUrl = await serviceRoleUrl(db.url);
  log('starting Vigil');
  const vigil = await startServer({
    name: 'vigil',
    script: serviceScript,
    port: vigilPort,
    readyPath: '/health',
    logDir,
    env: { DATABASE_URL: serviceUrl, PORT: String(vigilPort), HOST: '127.0.0.1', DEMO_DATA: 'false', LOG_LEVEL: 'warn', NODE_ENV: 'production',
      // One load generator on one address: the rate limits would measure themselves.
      RATE_LIMIT_PER_ADDRESS: '0', RATE_LIMIT_PER_TOKEN: '0' },
    // As `npm start` and the Dockerfile run it; BENCH_VIGIL_NODE_FLAGS adds Node flags to try.
    execArgv: [
      ...(process.env.BENCH_VIGIL_NODE_FLAGS ?? '').split(' ').filter(Boolean),
      ...(options.profile ? ['--cpu-prof', '--cpu-prof-dir', logDir] : []),
    ],
  });
  log('starting PostGraphile 5 and PostGraphile 4');
  const [postgraphile5, postgraphile4] = await Promise.all(
    (['postgraphile5', 'postgraphile4'] as const).map((name, k) =>
      startServer({
        name,
        script: join(__dirname, `${name}-server.js`),
        port: [postgraphile5Port, postgraphile4Port][k],
        readyPath: '/health',
        logDir,
        env: { DATABASE_URL: db.url, PORT: String([postgraphile5Port, postgraphile4Port][k]) },
      }),
    ),
  );
  const endpoints: Record<Exclude<Target, 'direct'>, string> = {
    vigil: `${vigil.baseUrl}/graphql`,
    postgraphile5: `${postgraphile5.baseUrl}/graphql`,
    postgraphile4: `${postgraphile4.baseUrl}/graphql`,
  };
  const postgraphiles: Record<PostGraphile, BenchServer> = { postgraphile5, postgraphile4 };

  // Same data from every GraphQL server, and the statements each sends per request.
  const reads: ReadResult[] = [];
  const plans: Record<string, RecordedStatement[]> = {};
  for (const read of selected) {
    const vigilData = read.normalizeVigil(await graphql(endpoints.vigil, read.vigil(PAGE_SIZE)));
    const sameData = {} as ReadResult['sameData'];
    const difference: ReadResult['difference'] = {};
    for (const name of POSTGRAPHILES) {
      const normalize = name === 'postgraphile5' ? read.normalizePostGraphile5 : read.normalizePostGraphile4;
      const found = firstDifference(vigilData, normalize(await graphql(endpoints[name], read[name](PAGE_SIZE))));
      sameData[name] = !found;
      if (found) {
        difference[name] = found;
        log(`!! ${read.name}: Vigil and ${NAMES[name]} answers differ at ${found}`);
      }
    }
    const statements: ReadResult['statements'] = { vigil: {}, postgraphile5: {}, postgraphile4: {}, direct: {} };
    const tablesBySize = new Map<number, string[]>();
    for (const first of read.pageSizes ?? [PAGE_SIZE]) {
      const key = read.pageSizes ? `first ${first}` : 'all';
      const recordedVigil = await countStatements(vigil, endpoints.vigil, read.vigil(first), true);
      statements.vigil[key] = recordedVigil.count;
      tablesBySize.set(first, recordedVigil.statements.map((s) => /\bFROM\s+"?(\w+)"?/i.exec(s.text)?.[1] ?? '?'));
      if (first === PAGE_SIZE) plans[read.name] = recordedVigil.statements;
      for (const name of POSTGRAPHILES) statements[name][key] = (await countStatements(postgraphiles[name], endpoints[name], read[name](first))).count;
    }
    statements.direct = { [read.pageSizes ? `first ${PAGE_SIZE}` : 'all']: plans[read.name].length };
    const statementNote = noteOnCounts(tablesBySize);
    const same = POSTGRAPHILES.map((name) => `${NAMES[name]} ${sameData[name] ? 'yes' : 'NO'}`).join(', ');
    log(`${read.name}: same data: ${same}; statements per request ${JSON.stringify(statements)}${statementNote ? ` (${statementNote})` : ''}`);
    reads.push({
      name: read.name,
      title: read.title,
      sameData,
      difference,
      ...(statementNote ? { statementNote } : {}),
      statements,
      load: {},
    });
  }

  const plansFile = join(logDir, 'direct-sql-plans.json');
  writeFileSync(plansFile, JSON.stringify(plans, null, 1));
  log('starting the direct-SQL server');
  const direct = await startServer({
    name: 'direct-sql',
    script: join(__dirname, 'direct-sql-server.js'),
    port: directPort,
    readyPath: '/health',
    logDir,
    env: { DATABASE_URL: db.url, PORT: String(directPort), PLANS: plansFile },
  });
  for (const read of selected) {
    const response = await fetch(`${direct.baseUrl}/${read.name}`, { method: 'POST', body: '{}' });
    if (!response.ok) throw new Error(`direct-SQL server: ${read.name}: HTTP ${response.status} ${await response.text()}`);
    await response.arrayBuffer();
  }

  // The export first, while the service's memory holds nothing else of this run.
  let exportFigures: ExportFigures | null = null;
  if (!options.skipExport) {
    log(`CSV export of ${options.incidents} incidents`);
    exportFigures = await measureExport(vigil, db.url, log, editorToken(serviceUrl));
    log(`  ${exportFigures.available ? JSON.stringify(exportFigures.vigil) : `not available: ${exportFigures.reason}`}`);
  }

  const servers: Record<Target, BenchServer> = { vigil, postgraphile5, postgraphile4, direct };
  for (const read of selected) {
    const result = reads.find((r) => r.name === read.name)!;
    const targets: Record<Target, LoadTarget> = {
      vigil: { url: endpoints.vigil, body: JSON.stringify(read.vigil(PAGE_SIZE)) },
      postgraphile5: { url: endpoints.postgraphile5, body: JSON.stringify(read.postgraphile5(PAGE_SIZE)) },
      postgraphile4: { url: endpoints.postgraphile4, body: JSON.stringify(read.postgraphile4(PAGE_SIZE)) },
      direct: { url: `${direct.baseUrl}/${read.name}`, body: '{}' },
    };
    const series = Object.fromEntries(
      TARGETS.map((t) => [t, { loaded: new Series(options.connections), single: new Series(1), database: new StatementTotals() }]),
    ) as Record<Target, { loaded: Series; single: Series; database: StatementTotals }>;
    const timed = async (target: Target, kind: 'loaded' | 'single', seconds: number) => {
      if (db.pgStatStatements) await resetStatementStatistics(db.url);
      const cpuBefore = servers[target].cpuSeconds();
      const outcome = await run(targets[target], kind === 'loaded' ? options.connections : 1, seconds);
      series[target][kind].add(outcome, servers[target].cpuSeconds() - cpuBefore);
      const cancelled = await cancelRunningStatements(db.url);
      if (cancelled) log(`  ${target}: ${cancelled} statement(s) still running after its turn cancelled`);
      if (db.pgStatStatements) series[target].database.add(await statementStatistics(db.url));
    };
    log(`load: ${read.name}, ${options.rounds} round(s) of ${TARGETS.join(', ')}`);
    for (let round = 0; round < options.rounds; round++) {
      for (const target of TARGETS) {
        if (round === 0 && options.warmup > 0) {
          await run(targets[target], options.connections, options.warmup);
          await cancelRunningStatements(db.url);
        }
        await timed(target, 'loaded', Math.max(1, options.duration / options.rounds));
      }
      for (const target of TARGETS) await timed(target, 'single', Math.max(1, options.latencyDuration / options.rounds));
    }
    for (const target of TARGETS) {
      const { loaded, single, database } = series[target];
      const figures = { loaded: loaded.figures(), single: single.figures() };
      result.load[target] = { ...figures, database: db.pgStatStatements ? database.summary(loaded.requests + single.requests) : null };
      const failures = figures.loaded.failures + figures.single.failures;
      log(
        `  ${target}: ${figures.loaded.rps} req/s, p50 ${figures.loaded.p50} ms, p99 ${figures.loaded.p99} ms at ${options.connections}; ` +
          `p50 ${figures.single.p50} ms at 1; ${figures.loaded.serverCpuMsPerRequest} ms CPU per request` +
          `${result.load[target]!.database ? `; ${result.load[target]!.database!.msPerRequest} ms in PostgreSQL` : ''}${failures ? `; ${failures} FAILED` : ''}`,
      );
    }
  }

  let timelineFigures: TimelineFigures | null = null;
  if (options.reads.includes('timeline')) {
    log(`timeline: ${timelineTitle}, GraphQL and /exports/timeline.json`);
    timelineFigures = await measureTimeline(vigil, options);
    const t = timelineFigures;
    if (!t.sameData) log(`!! timeline: the GraphQL page and the export differ: ${t.difference}`);
    for (const target of ['graphql', 'export'] as const) {
      const { loaded, single } = t.load[target];
      log(
        `  ${target}: ${loaded.rps} req/s, p50 ${loaded.p50} ms at ${t.connections[target]}; p50 ${single.p50} ms at 1; ` +
          `${loaded.serverCpuMsPerRequest} ms CPU per request; ${t.statements[target]} statements${loaded.failures + single.failures ? `; ${loaded.failures + single.failures} FAILED` : ''}`,
      );
    }
  }

  let hiddenRowsFigures: HiddenRowsFigures | null = null;
  if (hiddenRows) {
    log('hidden rows: an anonymous search with hidden matches, and one without, at 1 connection');
    await addHiddenMatches(db.url, log);
    try {
      hiddenRowsFigures = await measureHiddenRows(endpoints.vigil, options.latencyDuration * 2, Math.max(2, options.rounds * 2), options.warmup);
    } finally {
      await removeHiddenMatches(db.url);
    }
    log(`  p50 ${hiddenRowsFigures.withHidden.p50} ms with ${hiddenRowsFigures.hiddenMatches} hidden matches, ${hiddenRowsFigures.withoutHidden.p50} ms without: ratio ${hiddenRowsFigures.p50Ratio}`);
  }

  for (const server of [direct, postgraphile4, postgraphile5, vigil]) await server.stop();

  // Last, with the servers stopped: a fresh database of its own on the same PostgreSQL.
  let importFigures: ImportFigures | null = null;
  if (!options.skipImport) {
    importFigures = await measureImport(db.url, { incidents: IMPORT_INCIDENTS, log });
    log(`  import: ${describeImport(importFigures)}`);
  }
  await db.close();

  const results: Results = {
    startedAt,
    finishedAt: new Date().toISOString(),
    wallSeconds: Math.round((Date.now() - started) / 1000),
    options: { ...options, out: relative(REPO, options.out) },
    machine: { cpus: cpus().length, memoryGB: round(totalmem() / 2 ** 30, 1), node: process.version, loadAverageStart, loadAverageEnd: loadavg().map((l) => round(l, 2)) },
    commit: commitOf(),
    database: {
      origin: db.origin,
      incidents: options.incidents,
      seed: options.seed,
      generatedSeconds: db.generatedSeconds,
      postgres: db.serverVersion,
      pgStatStatements: db.pgStatStatements,
    },
    reads,
    export: exportFigures,
    hiddenRows: hiddenRowsFigures,
    timeline: timelineFigures,
    import: importFigures,
    vigilStatementsPerRead: Object.fromEntries(
      Object.entries(plans).map(([name, list]) => [name, list.map((s) => ({ text: s.text.replace(/\s+/g, ' ').slice(0, 300), wave: s.wave }))]),
    ),
  };
  const stem = join(options.out, `${startedAt.slice(0, 10)}-${options.incidents}`);
  writeFileSync(`${stem}.json`, `${JSON.stringify(results, null, 2)}\n`);
  const markdown = markdownReport(results);
  writeFileSync(`${stem}.md`, markdown);
  process.stdout.write(`\n${markdown}\n`);
  log(`results: ${relative(REPO, stem)}.json and .md (${results.wallSeconds} s)`);
}

let interrupted = false;
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP'] as const) {
  process.on(signal, () => {
    if (interrupted) return;
    interrupted = true;
    log(`${signal}: stopping the servers and PostgreSQL`);
    void cleanup.runAll(log).then(() => process.exit(130));
  });
}
// Last resort if the process exits some other way: no child outlives the harness.
process.on('exit', () => {
  for (const child of cleanup.children) child.kill('SIGKILL');
});

runMain(main, log);
