/**
 * `npm run bench:limits`: what keeping the rate limits in PostgreSQL (LIMITS_STORE=postgres, the
 * default) costs against keeping them in the process's memory (LIMITS_STORE=memory: what Vigil did
 * before, the limits of one instance only), in one run, on one database, with one instance each.
 *
 * Two servers run side by side on the demo data, with limits too high to be reached, so every
 * request is counted and none refused. Each kind of request runs against each server in turns
 * (memory, postgres, memory, ...), so drift on the machine falls on both alike. Reported: requests
 * per second, latencies, and the CPU each request cost the server process and PostgreSQL (all its
 * processes): the last two are what a deployment must be sized for, and hardly depend on what else
 * runs on the machine. Results go to bench/results/limits-<date>.json.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import autocannon from 'autocannon';
import { startEmbeddedPostgres } from '../src/database/embedded-postgres';
import { freePort } from '../src/database/free-port';
import { ensureDatabase, prepareDatabase } from '../src/database/prepare';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from '../src/database/data-source';
import { PostgresLimitStore } from '../src/security/limit-store';
import { round } from './database';
import { BenchServer, cleanup, runMain, startServer } from './processes';

const REPO = resolve(__dirname, '..', '..');
const SECONDS = Number(process.env.BENCH_LIMITS_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_LIMITS_ROUNDS ?? 3);
const CONNECTIONS = Number(process.env.BENCH_LIMITS_CONNECTIONS ?? 8);
const CLOCK_TICKS = 100;

const REQUESTS = {
  /** The cheapest request there is with a token: authentication, the token's count, one field. */
  token: { query: '{ me { email } }', withToken: true },
  /** A cheap anonymous read: the address's count and one small query. */
  anonymous: { query: '{ regions(first: 5) { edges { node { code name } } } }', withToken: false },
  /** A page of the research list, as clients mostly send. */
  incidents: { query: '{ incidents(first: 20) { totalCount edges { node { id headline date { edtf } region { code } } } } }', withToken: false },
} as const;
type RequestName = keyof typeof REQUESTS;
const STORES = ['memory', 'postgres'] as const;
type Store = (typeof STORES)[number];

/** CPU seconds (user + system) used so far by process `pid`. */
function cpuOf(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  } catch {
    return 0; // gone
  }
}

/** CPU seconds used so far by PostgreSQL: the postmaster and every process it started (exited
 * backends included, through the postmaster's children totals). */
function postgresCpu(postmaster: number): number {
  const fields = readFileSync(`/proc/${postmaster}/stat`, 'utf8').split(') ')[1].split(' ');
  // utime, stime, cutime, cstime: the postmaster's own and its waited-for children's.
  let total = (Number(fields[11]) + Number(fields[12]) + Number(fields[13]) + Number(fields[14])) / CLOCK_TICKS;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8').split(') ')[1].split(' ');
      if (Number(stat[1]) === postmaster) total += cpuOf(Number(entry));
    } catch {
      // exited meanwhile
    }
  }
  return total;
}

interface Totals {
  seconds: number;
  requests: number;
  failures: number;
  times: number[];
  serverCpu: number;
  postgresCpu: number;
}

function run(url: string, body: string, token: string | null): Promise<{ seconds: number; requests: number; failures: number; times: number[] }> {
  const times: number[] = [];
  return new Promise((done, fail) => {
    const instance = autocannon(
      {
        url,
        method: 'POST',
        headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
        body,
        connections: CONNECTIONS,
        duration: SECONDS,
      },
      (error, result) => (error ? fail(error) : done({ seconds: result.duration, requests: times.length, failures: result.non2xx + result.errors + result.timeouts, times })),
    );
    instance.on('response', (_c: unknown, status: number, _b: number, ms: number) => {
      if (status >= 200 && status < 300) times.push(ms);
    });
  });
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-bench-limits-'));
  execFileSync('chmod', ['755', dir]); // as root, PostgreSQL runs as `postgres`, who must reach it
  const pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pgdata'), port: await freePort(), persistent: false });
  cleanup.add('postgres', () => pg.stop());
  try {
    await ensureDatabase(pg.url(), 'vigil');
    const url = pg.url('vigil');
    await prepareDatabase(url, { demoData: true });
    const postmaster = Number(readFileSync(join(dir, 'pgdata', 'postmaster.pid'), 'utf8').split('\n')[0]);

    const env = {
      NODE_ENV: 'development',
      DATABASE_URL: url,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      RATE_LIMIT_PER_ADDRESS: '1000000',
      RATE_LIMIT_PER_TOKEN: '1000000',
    };
    const cli = (...args: string[]) => execFileSync(process.execPath, [join(REPO, 'dist', 'src', 'cli', 'vigil.js'), ...args], { env: { ...process.env, ...env }, encoding: 'utf8' });
    cli('account', 'create', '--email', 'bench@example.org', '--role', 'RESEARCHER');
    const token = cli('token', 'create', '--email', 'bench@example.org', '--name', 'bench').trim().split('\n').at(-1)!;

    const logDir = join(dir, 'logs');
    mkdirSync(logDir);
    const servers = {} as Record<Store, BenchServer>;
    for (const store of STORES) {
      const port = await freePort();
      servers[store] = await startServer({ name: store, script: join(REPO, 'dist', 'src', 'main.js'), env: { ...env, LIMITS_STORE: store, PORT: String(port) }, port, readyPath: '/health', logDir });
    }

    const totals = new Map<string, Totals>();
    for (const name of Object.keys(REQUESTS) as RequestName[]) {
      const request = REQUESTS[name];
      const body = JSON.stringify({ query: request.query });
      // Warm-up: JIT, connection pools, plans.
      for (const store of STORES) await run(`${servers[store].baseUrl}/graphql`, body, request.withToken ? token : null);
      for (let r = 0; r < ROUNDS; r++) {
        for (const store of STORES) {
          const server = servers[store];
          const [cpu0, pg0] = [server.cpuSeconds(), postgresCpu(postmaster)];
          const result = await run(`${server.baseUrl}/graphql`, body, request.withToken ? token : null);
          const [cpu1, pg1] = [server.cpuSeconds(), postgresCpu(postmaster)];
          const key = `${name}/${store}`;
          const t = totals.get(key) ?? { seconds: 0, requests: 0, failures: 0, times: [], serverCpu: 0, postgresCpu: 0 };
          t.seconds += result.seconds;
          t.requests += result.requests;
          t.failures += result.failures;
          t.times.push(...result.times);
          t.serverCpu += cpu1 - cpu0;
          t.postgresCpu += pg1 - pg0;
          totals.set(key, t);
          console.log(`${key} round ${r + 1}: ${round(result.requests / result.seconds, 0)} req/s`);
        }
      }
    }

    const figures = (t: Totals) => {
      const sorted = [...t.times].sort((a, b) => a - b);
      const at = (q: number) => sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))];
      return {
        rps: round(t.requests / t.seconds, 1),
        p50: at(0.5),
        p99: at(0.99),
        failures: t.failures,
        serverCpuMsPerRequest: round((t.serverCpu * 1000) / t.requests, 3),
        postgresCpuMsPerRequest: round((t.postgresCpu * 1000) / t.requests, 3),
      };
    };
    const report: Record<string, unknown> = {
      date: new Date().toISOString(),
      node: process.version,
      cpus: execFileSync('nproc', { encoding: 'utf8' }).trim(),
      seconds: SECONDS,
      rounds: ROUNDS,
      connections: CONNECTIONS,
      requests: {},
    };
    console.log(`\n| request | store | req/s | p50 ms | p99 ms | Vigil CPU ms/req | PostgreSQL CPU ms/req | req/s vs memory | CPU (both) vs memory |`);
    console.log(`|---|---|---|---|---|---|---|---|---|`);
    for (const name of Object.keys(REQUESTS) as RequestName[]) {
      const memory = figures(totals.get(`${name}/memory`)!);
      const postgres = figures(totals.get(`${name}/postgres`)!);
      const cpu = (f: typeof memory) => f.serverCpuMsPerRequest + f.postgresCpuMsPerRequest;
      const ratios = { rps: round(postgres.rps / memory.rps, 3), cpu: round(cpu(postgres) / cpu(memory), 3) };
      (report.requests as Record<string, unknown>)[name] = { query: REQUESTS[name].query, memory, postgres, postgresVsMemory: ratios };
      for (const [store, f] of [['memory', memory], ['postgres', postgres]] as const) {
        console.log(
          `| ${name} | ${store} | ${f.rps} | ${f.p50} | ${f.p99} | ${f.serverCpuMsPerRequest} | ${f.postgresCpuMsPerRequest} | ` +
            `${store === 'postgres' ? ratios.rps : ''} | ${store === 'postgres' ? ratios.cpu : ''} |`,
        );
      }
    }
    // The counting alone, as many instances' worth of requests would send it: what one hit costs
    // PostgreSQL when hits arrive together (each statement carries those that came meanwhile).
    const dataSource = new DataSource(dataSourceOptions(url));
    await dataSource.initialize();
    const store = new PostgresLimitStore(dataSource);
    try {
      const HITS = 50_000;
      const IN_FLIGHT = 200;
      let sent = 0;
      const [pg0, started] = [postgresCpu(postmaster), Date.now()];
      await Promise.all(
        Array.from({ length: IN_FLIGHT }, async () => {
          while (sent < HITS) await store.hit(`address:bench-${sent++ % 5_000}`, 60_000);
        }),
      );
      const [pg1, ms] = [postgresCpu(postmaster), Date.now() - started];
      report.countingAlone = { hits: HITS, inFlight: IN_FLIGHT, keys: 5_000, hitsPerSecond: round(HITS / (ms / 1000), 0), postgresCpuMicrosecondsPerHit: round(((pg1 - pg0) * 1e6) / HITS, 1) };
      console.log(`\ncounting alone: ${JSON.stringify(report.countingAlone)}`);
    } finally {
      await store.close();
      await dataSource.destroy();
    }

    const out = join(REPO, 'bench', 'results', `limits-${new Date().toISOString().slice(0, 10)}.json`);
    writeFileSync(out, JSON.stringify(report, null, 2) + '\n');
    console.log(`\n${out}`);
  } finally {
    await cleanup.runAll((line) => console.error(line));
    rmSync(dir, { recursive: true, force: true });
  }
}

runMain(main);
