/** PostgreSQL stopped and started under load: requests fail cleanly while it is down (503 or a
 * SERVICE_UNAVAILABLE error, never a 500, never a hang), /health says so, and the service
 * recovers by itself once it is back, without a restart.
 *
 * On a PostgreSQL of its own: the shared test server (test/global-setup.ts) serves the other test
 * files and must never stop. The service runs as it does in production, as its own process
 * (dist/src/main.js, built by `npm test`): inside jest, errors raised by Node itself (a refused
 * connection) come from another realm than the test's and are not `instanceof Error` there, which
 * would change how GraphQL reports them. */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { chmodSync, existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { RunningPostgres } from '../../src/database/embedded-postgres';
import { freePort } from '../../src/database/free-port';
import { ensureDatabase, prepareDatabase } from '../../src/database/prepare';
import { nativeEmbeddedPostgres } from './support/native-embedded-postgres';
import { stopService, waitForHealth } from '../support/service-process';

const { startEmbeddedPostgres } = nativeEmbeddedPostgres();
const DIST = join(__dirname, '..', '..', 'dist', 'src');

interface Outcome {
  kind: 'anonymous' | 'token' | 'health';
  startedAt: number;
  ms: number;
  status: number;
  codes: string[];
}

const INCIDENTS = '{ incidents(first: 5) { totalCount edges { node { headline citations { excerpt source { title } } } } } }';
const KINDS = ['anonymous', 'token', 'health'] as const;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

describe('PostgreSQL stopped and started while requests run', () => {
  const dir = mkdtempSync(join(tmpdir(), 'vigil-outage-'));
  let pgPort: number;
  let pg: RunningPostgres | null = null;
  let databaseUrl: string;
  let service: ChildProcess;
  let output = '';
  let base: string;
  let token: string;

  const startPostgres = async () => {
    // Persistent: the data must survive the stop (a non-persistent server deletes its directory).
    pg = await startEmbeddedPostgres({ dataDir: join(dir, 'pgdata'), port: pgPort, persistent: true });
  };

  beforeAll(async () => {
    if (!existsSync(join(DIST, 'main.js'))) throw new Error(`${DIST}/main.js is missing: run \`npm test\`, which builds first`);
    chmodSync(dir, 0o755); // as root, PostgreSQL runs as the `postgres` user, who must reach it
    pgPort = await freePort();
    await startPostgres();
    await ensureDatabase(pg!.url(), 'vigil');
    databaseUrl = pg!.url('vigil');
    await prepareDatabase(databaseUrl, { demoData: true });

    const { DATABASE_URL: _ignored, ...inherited } = process.env;
    const env = {
      ...inherited,
      NODE_ENV: 'development',
      DATABASE_URL: databaseUrl,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      // One client, many requests: the rate limits are tested elsewhere.
      RATE_LIMIT_PER_ADDRESS: '0',
      RATE_LIMIT_PER_TOKEN: '0',
    };
    const cli = (...args: string[]) => promisify(execFile)(process.execPath, [join(DIST, 'cli', 'vigil.js'), ...args], { env });
    await cli('account', 'create', '--email', 'outage@test.vigil', '--role', 'RESEARCHER');
    token = (await cli('token', 'create', '--email', 'outage@test.vigil', '--name', 'outage')).stdout.trim().split('\n').at(-1)!;

    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    service = spawn(process.execPath, [join(DIST, 'main.js')], { env: { ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] });
    service.stdout!.on('data', (d) => (output += d));
    service.stderr!.on('data', (d) => (output += d));
    await waitForHealth(base, service, () => output);
  }, 120_000);

  afterAll(async () => {
    await stopService(service);
    await pg?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  async function send(kind: Outcome['kind']): Promise<Outcome> {
    const startedAt = Date.now();
    const init: RequestInit =
      kind === 'health'
        ? {}
        : {
            method: 'POST',
            headers: { 'content-type': 'application/json', ...(kind === 'token' ? { authorization: `Bearer ${token}` } : {}) },
            body: JSON.stringify({ query: kind === 'token' ? `{ me { email } ${INCIDENTS.slice(1)}` : INCIDENTS }),
          };
    // A request that hangs shows as status 0 after 15 s.
    const res = await fetch(`${base}${kind === 'health' ? '/health' : '/graphql'}`, { ...init, signal: AbortSignal.timeout(15_000) }).catch(() => null);
    const body = res ? ((await res.json().catch(() => ({}))) as { errors?: { extensions?: { code?: string } }[] }) : {};
    return { kind, startedAt, ms: Date.now() - startedAt, status: res?.status ?? 0, codes: (body.errors ?? []).map((e) => e.extensions?.code ?? '?') };
  }

  const succeeded = (o: Outcome) => o.status === 200 && o.codes.length === 0;

  it('fails cleanly during the outage, reports it on /health, and recovers within seconds', async () => {
    for (const kind of KINDS) expect(succeeded(await send(kind))).toBe(true);
    const outcomes: Outcome[] = [];
    let running = true;
    // Four clients in a loop, so requests are in flight whenever PostgreSQL stops or starts.
    const clients = (['anonymous', 'token', 'anonymous', 'health'] as const).map(async (kind) => {
      while (running) {
        outcomes.push(await send(kind));
        await sleep(20);
      }
    });

    await sleep(1_500);
    const stoppedAt = Date.now();
    await pg!.stop(); // a fast shutdown: running statements are cancelled, connections closed
    pg = null;
    await sleep(3_000);
    const restartedAt = Date.now();
    await startPostgres();
    const backAt = Date.now();
    const firstSuccess = (kind: Outcome['kind']) => outcomes.find((o) => o.kind === kind && o.startedAt >= backAt && succeeded(o));
    while (!KINDS.every(firstSuccess) && Date.now() - backAt < 30_000) await sleep(50);
    await sleep(1_500); // and keep going a while
    running = false;
    await Promise.all(clients);

    const before = outcomes.filter((o) => o.startedAt < stoppedAt - 200);
    const during = outcomes.filter((o) => o.startedAt >= stoppedAt + 500 && o.startedAt < restartedAt);
    const recoveryMs = Math.max(...KINDS.map((kind) => (firstSuccess(kind)?.startedAt ?? Infinity) - backAt));
    const after = outcomes.filter((o) => o.startedAt > backAt + recoveryMs + 500);
    if (process.env.SHOW_OUTAGE) {
      console.log({
        requests: outcomes.length,
        before: before.length,
        during: during.length,
        after: after.length,
        postgresRestartMs: backAt - restartedAt,
        recoveryMs,
        slowestMs: Math.max(...outcomes.map((o) => o.ms)),
        answers: [...new Set(outcomes.map((o) => `${o.kind} ${o.status} ${o.codes.join(',')}`))],
      });
    }

    // Before: all well.
    expect(before.length).toBeGreaterThan(10);
    expect(before.filter((o) => !succeeded(o))).toEqual([]);

    // Always: an answer within seconds, 503 or SERVICE_UNAVAILABLE when not a success, never 500.
    for (const o of outcomes) {
      expect({ ...o, fine: o.status === 200 || o.status === 503 }).toMatchObject({ fine: true });
      expect(o.codes.filter((code) => code !== 'SERVICE_UNAVAILABLE')).toEqual([]);
      expect(o.ms).toBeLessThan(10_000);
    }
    // During: nothing succeeds, and every kind of request says why.
    expect(during.filter((o) => o.kind !== 'health').length).toBeGreaterThan(10);
    for (const o of during) {
      expect(succeeded(o)).toBe(false);
      expect(o.status === 503 || o.codes.includes('SERVICE_UNAVAILABLE')).toBe(true);
      if (o.kind === 'health') expect(o.status).toBe(503);
    }
    for (const kind of KINDS) expect(during.some((o) => o.kind === kind)).toBe(true);

    // After: back by itself within seconds of PostgreSQL's return, and all well again.
    expect(recoveryMs).toBeLessThan(5_000);
    expect(after.length).toBeGreaterThan(10);
    expect(after.filter((o) => !succeeded(o))).toEqual([]);
    // Nothing was logged as an unexpected error: the outage is known for what it is.
    expect(output).not.toMatch(/Unexpected/);
    expect(output).toMatch(/Database unavailable/);
  }, 120_000);
});
