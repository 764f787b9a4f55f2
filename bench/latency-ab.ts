/* Unloaded latency of Vigil against the direct SQL, quicker and steadier than a benchmark run on a
 * shared machine: Vigil processes (one per variant) and the direct-SQL server on the cached
 * benchmark database, one request at a time, servers taking turns every LAT_BATCH requests (20),
 * so that a burst of other work hits all of them alike. Reports each one's p50 and mean wall time and CPU
 * time per request, and the p50 over the direct SQL's.
 *   npm run build && npx tsc -p bench/tsconfig.json && node dist/bench/latency-ab.js
 * LAT_VARIANTS: variants as name=ENV1:1,ENV2:x;name2=... (default one variant, "vigil", no env; SCRIPT:
 * another build's dist/src/main.js, to compare two commits; FLAGS: Node flags joined by +);
 * LAT_READS (page,monthly); LAT_REQUESTS per server and read (400); LAT_INCIDENTS (200000); LAT_PHASES=1:
 * where each server's requests spend their wall time (bench/request-phases.ts), printed at the end.
 * The direct SQL replays the statements Vigil sent for each read, recorded here as bench/run.ts
 * does (through the statement counter) from the first variant. Used in bench/README.md
 * ("Round 3 (issue 18): the fixed cost of a GraphQL request"). */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { join } from 'node:path';
import { freePort } from '../src/database/free-port';
import { openBenchDatabase, REPO, serviceRoleUrl } from './database';
import { BenchServer, runMain, startServer } from './processes';
import { RecordedStatement } from './protocol';
import { graphql, PAGE_SIZE, READS } from './requests';

const agent = new Agent({ keepAlive: true, maxSockets: 1 });

function post(url: string, body: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const req = request(url, { method: 'POST', agent, headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } }, (res) => {
      res.on('data', () => undefined);
      res.on('end', () => (res.statusCode === 200 ? resolve(performance.now() - t0) : reject(new Error(`${url}: HTTP ${res.statusCode}`))));
    });
    req.on('error', reject);
    req.end(body);
  });
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

async function main() {
  const log = (m: string) => console.log(`[latency] ${m}`);
  const variants = (process.env.LAT_VARIANTS ?? 'vigil').split(';').map((spec) => {
    const [name, ...envs] = spec.split('=');
    const env: Record<string, string> = {};
    for (const pair of envs.join('=').split(',').filter(Boolean)) {
      const [k, v] = pair.split(':');
      env[k] = v ?? '1';
    }
    return { name, env };
  });
  const readNames = (process.env.LAT_READS ?? 'page,monthly').split(',');
  const n = Number(process.env.LAT_REQUESTS ?? 400);
  const batch = Number(process.env.LAT_BATCH ?? 20);
  const db = await openBenchDatabase({ incidents: Number(process.env.LAT_INCIDENTS ?? 200000), seed: 1, fresh: false, noCache: false, log });
  const url = await serviceRoleUrl(db.url);
  const logDir = join(REPO, '.vigil', 'latency');
  const phases = process.env.LAT_PHASES ? ['--require', join(__dirname, 'request-phases.js')] : [];
  mkdirSync(logDir, { recursive: true });
  const vigils: BenchServer[] = [];
  for (const v of variants) {
    const port = await freePort();
    vigils.push(
      await startServer({
        name: v.name, script: v.env.SCRIPT ?? join(REPO, 'dist', 'src', 'main.js'), port, readyPath: '/health', logDir,
        env: { DATABASE_URL: url, PORT: String(port), HOST: '127.0.0.1', DEMO_DATA: 'false', LOG_LEVEL: 'warn', NODE_ENV: 'production', RATE_LIMIT_PER_ADDRESS: '0', RATE_LIMIT_PER_TOKEN: '0', ...v.env },
        execArgv: [
          ...(v.env.FLAGS ?? '').split('+').filter(Boolean),
          ...(process.env.LAT_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', logDir] : []),
          ...(process.env.LAT_HEAP_PROFILE ? ['--heap-prof', '--heap-prof-dir', logDir] : []),
          ...phases,
        ],
      }),
    );
  }
  const reads = readNames.map((name) => READS.find((r) => r.name === name)!);
  const plans: Record<string, RecordedStatement[]> = {};
  for (const read of reads) {
    const body = read.vigil(PAGE_SIZE);
    for (const v of vigils) await graphql(`${v.baseUrl}/graphql`, body);
    await vigils[0].resetStatements(true);
    await graphql(`${vigils[0].baseUrl}/graphql`, body);
    await new Promise((r) => setTimeout(r, 50));
    plans[read.name] = (await vigils[0].statements()).statements;
  }
  const plansFile = join(logDir, 'plans.json');
  writeFileSync(plansFile, JSON.stringify(plans));
  const directPort = await freePort();
  const direct = await startServer({
    name: 'direct-sql', script: join(__dirname, 'direct-sql-server.js'), port: directPort, readyPath: '/health', logDir,
    env: { DATABASE_URL: db.url, PORT: String(directPort), PLANS: plansFile },
    execArgv: [...(process.env.LAT_PROFILE ? ['--cpu-prof', '--cpu-prof-dir', logDir] : []), ...phases],
  });
  if (process.env.LAT_HOLD) {
    // For poking at the servers by hand: wait until stopped (SIGTERM).
    log(`holding: ${[...vigils, direct].map((s) => `${s.name} ${s.baseUrl}`).join(', ')}`);
    await new Promise<void>((done) => process.once('SIGTERM', () => done()));
    for (const s of [...vigils, direct]) await s.stop();
    await db.close();
    return;
  }
  const load = await import('node:os').then((os) => os.loadavg().map((x) => x.toFixed(2)).join(' / '));
  log(`load average ${load}`);
  for (const read of reads) {
    const targets = [
      ...vigils.map((v) => ({ name: v.name, server: v, url: `${v.baseUrl}/graphql`, body: JSON.stringify(read.vigil(PAGE_SIZE)) })),
      { name: 'direct', server: direct, url: `${direct.baseUrl}/${read.name}`, body: '{}' },
    ];
    const times = new Map(targets.map((t) => [t.name, [] as number[]]));
    const cpu = new Map(targets.map((t) => [t.name, 0]));
    for (let i = 0; i < 30; i++) for (const t of targets) await post(t.url, t.body);
    // Back to back in batches, as the benchmark's load generator sends them: what a server does
    // after a response (hooks, logging, garbage collection) delays its next request. One request
    // at a time in turns would hide that.
    for (let i = 0; i < n; i += batch) {
      const order = (i / batch) % 2 ? [...targets].reverse() : targets;
      for (const t of order) {
        const c0 = t.server.cpuSeconds();
        for (let j = 0; j < batch; j++) times.get(t.name)!.push(await post(t.url, t.body));
        cpu.set(t.name, cpu.get(t.name)! + t.server.cpuSeconds() - c0);
      }
    }
    const directP50 = median(times.get('direct')!);
    for (const t of targets) {
      const xs = times.get(t.name)!;
      const mean = xs.reduce((a, b) => a + b, 0) / xs.length;
      log(`${read.name} ${t.name.padEnd(16)} p50 ${median(xs).toFixed(2)} ms (${(median(xs) / directP50).toFixed(3)}x direct), mean ${mean.toFixed(2)} ms, CPU ${((cpu.get(t.name)! * 1000) / n).toFixed(2)} ms/request`);
    }
  }
  log(`load average ${await import('node:os').then((os) => os.loadavg().map((x) => x.toFixed(2)).join(' / '))}`);
  const servers = [...vigils, direct];
  const pids = servers.map((s) => s.pid);
  for (const s of servers) await s.stop();
  await db.close();
  servers.forEach((s, i) => {
    const file = join(logDir, `phases-${pids[i]}.json`);
    if (existsSync(file)) log(`phases (ms, medians) of ${s.name}: ${readFileSync(file, 'utf8').replace(/\s+/g, ' ')}`);
  });
}
runMain(main);
