/** Two instances of the service on one database, as behind a round-robin load balancer: a client
 * alternating between them meets every limit exactly as with one instance (requests without a
 * token per address, requests per token, failed authentications per address), the export slots
 * are counted across both, and an instance killed with SIGKILL frees its slots at once.
 *
 * Each instance runs as it does in production, as its own process (dist/src/main.js, built by
 * `npm test`), with TRUST_PROXY so that each test speaks from addresses of its own
 * (X-Forwarded-For). */
import { ChildProcess, execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Client } from 'pg';
import { MAX_CONCURRENT_EXPORTS, MAX_EXPORTS_PER_CALLER } from '../../src/exports/export-slots';
import { freePort } from '../../src/database/free-port';
import { stopService, waitForHealth } from '../support/service-process';
import { createTestDatabase, TestDatabase } from '../support/test-database';

const DIST = join(__dirname, '..', '..', 'dist', 'src');
const PER_ADDRESS = 5;
const PER_TOKEN = 8;
const AUTH_FAILURES = 3;
const ME = JSON.stringify({ query: '{ me { email } }' });
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Instance {
  process: ChildProcess;
  base: string;
  output: string;
}

describe('two instances on one database', () => {
  let db: TestDatabase;
  let env: NodeJS.ProcessEnv;
  let instances: Instance[] = [];
  let tokens: string[];
  let observer: Client;
  let lastAddress = 0;
  /** An address no other test uses. */
  const address = () => `198.51.100.${++lastAddress}`;

  const start = async (): Promise<Instance> => {
    const port = await freePort();
    const instance: Instance = { base: `http://127.0.0.1:${port}`, output: '', process: spawn(process.execPath, [join(DIST, 'main.js')], { env: { ...env, PORT: String(port) }, stdio: ['ignore', 'pipe', 'pipe'] }) };
    instance.process.stdout!.on('data', (d) => (instance.output += d));
    instance.process.stderr!.on('data', (d) => (instance.output += d));
    await waitForHealth(instance.base, instance.process, () => instance.output);
    return instance;
  };

  beforeAll(async () => {
    if (!existsSync(join(DIST, 'main.js'))) throw new Error(`${DIST}/main.js is missing: run \`npm test\`, which builds first`);
    db = await createTestDatabase({ demoData: true });
    const { DATABASE_URL: _ignored, ...inherited } = process.env;
    env = {
      ...inherited,
      NODE_ENV: 'development',
      DATABASE_URL: db.url,
      DEMO_DATA: 'false',
      LOG_LEVEL: 'warn',
      TRUST_PROXY: 'true',
      RATE_LIMIT_PER_ADDRESS: String(PER_ADDRESS),
      RATE_LIMIT_PER_TOKEN: String(PER_TOKEN),
      AUTH_FAILURE_LIMIT: String(AUTH_FAILURES),
    };
    const cli = (...args: string[]) => promisify(execFile)(process.execPath, [join(DIST, 'cli', 'vigil.js'), ...args], { env });
    await cli('account', 'create', '--email', 'two@test.vigil', '--role', 'RESEARCHER');
    tokens = [];
    for (const name of ['rate', 'failures']) tokens.push((await cli('token', 'create', '--email', 'two@test.vigil', '--name', name)).stdout.trim().split('\n').at(-1)!);
    instances = await Promise.all([start(), start()]);
    observer = new Client({ connectionString: db.url });
    observer.on('error', () => undefined); // dropped with the database at the end
    await observer.connect();
  }, 180_000);

  afterAll(async () => {
    await Promise.all(instances.map((instance) => stopService(instance.process)));
    await observer?.end();
    await db?.drop();
  });

  /** POSTs { me } to instance `k` from `from`, with `token` if given. */
  const post = async (k: number, from: string, token?: string) => {
    const res = await fetch(`${instances[k].base}/graphql`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-forwarded-for': from, ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: ME,
    });
    return { status: res.status, body: (await res.json()) as { errors?: { message: string; extensions: Record<string, unknown> }[] } };
  };

  it('count requests without a token per address across both', async () => {
    const from = address();
    for (let i = 0; i < PER_ADDRESS; i++) expect((await post(i % 2, from)).status).toBe(200);
    for (const k of [PER_ADDRESS % 2, (PER_ADDRESS + 1) % 2]) {
      const refused = await post(k, from);
      expect(refused.status).toBe(429);
      expect(refused.body.errors![0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: PER_ADDRESS });
    }
    expect((await post(0, address())).status).toBe(200);
  });

  it('count requests per token across both, wherever they come from', async () => {
    for (let i = 0; i < PER_TOKEN; i++) expect((await post(i % 2, address(), tokens[0])).status).toBe(200);
    for (const k of [0, 1]) {
      const refused = await post(k, address(), tokens[0]);
      expect(refused.status).toBe(429);
      expect(refused.body.errors![0].message).toMatch(/^Too many requests with this token: the limit is 8 per 60 s/);
    }
    expect((await post(0, address(), tokens[1])).status).toBe(200);
  });

  it('count failed authentications per address across both, and serve valid tokens from that address', async () => {
    const from = address();
    const invented = (i: number) => `vigil_${String(i).padStart(43, 'z')}`;
    for (let i = 0; i < AUTH_FAILURES; i++) expect((await post(i % 2, from, invented(i))).status).toBe(401);
    for (const k of [AUTH_FAILURES % 2, (AUTH_FAILURES + 1) % 2]) {
      const refused = await post(k, from, invented(100 + k));
      expect(refused.status).toBe(429);
      expect(refused.body.errors![0].extensions).toMatchObject({ code: 'RATE_LIMITED', limit: AUTH_FAILURES });
    }
    for (const k of [0, 1]) expect((await post(k, from, tokens[1])).status).toBe(200);
  });

  /** Export slots as PostgreSQL sees them: the session advisory locks each instance holds. */
  const slotLocks = async () => {
    const { rows } = await observer.query<{ global: string; callers: string }>(
      `SELECT count(*) FILTER (WHERE objsubid = 1) AS global, count(*) FILTER (WHERE objsubid = 2) AS callers
         FROM pg_locks WHERE locktype = 'advisory' AND granted AND database = (SELECT oid FROM pg_database WHERE datname = current_database())`,
    );
    return { global: Number(rows[0].global), callers: Number(rows[0].callers) };
  };

  /** Waits until the slot locks satisfy `done`; fails with what PostgreSQL shows after 20 s. */
  const slotsUntil = async (done: (locks: { global: number; callers: number }) => boolean) => {
    const started = Date.now();
    while (!done(await slotLocks())) {
      if (Date.now() - started > 20_000) {
        const { rows } = await observer.query(`SELECT application_name, state, wait_event_type, left(query, 80) AS query FROM pg_stat_activity WHERE datname = current_database()`);
        throw new Error(`slot locks ${JSON.stringify(await slotLocks())}; backends ${JSON.stringify(rows)}`);
      }
      await sleep(50);
    }
  };

  it('share the export slots, and an instance killed with SIGKILL gives its slots back at once', async () => {
    // Every export stops on this lock after taking its slot, as a long one would hold it.
    const locker = new Client({ connectionString: db.url });
    locker.on('error', () => undefined);
    await locker.connect();
    await locker.query('BEGIN');
    await locker.query('LOCK TABLE incident IN ACCESS EXCLUSIVE MODE');
    // An export that should be refused gets 15 s to say so (a granted one waits on the lock: 0).
    const exportFrom = (k: number, caller: string, waitMs = 120_000) =>
      fetch(`${instances[k].base}/exports/incidents.csv`, { headers: { 'x-forwarded-for': caller }, signal: AbortSignal.timeout(waitMs) }).then(
        async (res) => ({ status: res.status, body: await res.text() }),
        () => ({ status: 0, body: '' }), // the instance was killed, or no answer in time
      );
    const running: Promise<{ status: number; body: string }>[] = [];
    try {
      const one = address();
      const two = address();
      // One caller: two exports on the first instance, one on the second: all of its share.
      expect(MAX_EXPORTS_PER_CALLER).toBe(3);
      expect(MAX_CONCURRENT_EXPORTS).toBe(4);
      for (const k of [0, 0, 1]) {
        running.push(exportFrom(k, one));
        // Each is holding its slot before the next asks.
        await slotsUntil((locks) => locks.global >= running.length);
      }
      const mine = await exportFrom(1, one, 15_000);
      expect(mine.status).toBe(503);
      expect(mine.body).toMatch(/Too many exports are running already/);
      // Another caller takes the last slot, on the first instance; then every slot is taken, on both.
      running.push(exportFrom(0, two));
      await slotsUntil((locks) => locks.global >= 4);
      expect(await slotLocks()).toEqual({ global: 4, callers: 4 });
      for (const k of [0, 1]) expect((await exportFrom(k, address(), 15_000)).status).toBe(503);

      // The first instance dies holding three slots (it has no time to give them back).
      const killedAt = Date.now();
      instances[0].process.kill('SIGKILL');
      await new Promise((resolve) => instances[0].process.once('exit', resolve));
      while ((await slotLocks()).global > 1 && Date.now() - killedAt < 30_000) await sleep(50);
      const freedMs = Date.now() - killedAt;
      if (process.env.SHOW_SCALE_OUT) console.log({ slotsFreedMsAfterSigkill: freedMs });
      expect(await slotLocks()).toEqual({ global: 1, callers: 1 });
      expect(freedMs).toBeLessThan(30_000);
      // The second instance now grants the three freed slots, and no more.
      for (let i = 0; i < 3; i++) {
        running.push(exportFrom(1, address()));
        await slotsUntil((locks) => locks.global >= 2 + i);
      }
      expect((await exportFrom(1, address(), 15_000)).status).toBe(503);
    } finally {
      await locker.query('ROLLBACK');
      await locker.end();
    }
    const finished = await Promise.all(running);
    // Those on the killed instance got no answer; the second instance's finished whole.
    expect(finished.map((f) => f.status)).toEqual([0, 0, 200, 0, 200, 200, 200]);
    for (const f of finished.filter((f) => f.status === 200)) expect(f.body.split('\n')[0]).toMatch(/^id,/);
    await slotsUntil((locks) => locks.global === 0);
    instances[0] = await start();
    const after = await exportFrom(0, address());
    expect(after.status).toBe(200);
  }, 120_000);
});
