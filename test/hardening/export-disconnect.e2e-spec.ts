/** A client that disconnects during a CSV export leaves no statement running and no connection
 * held: the export's statement stops, its connection is given back (or dropped) and its export
 * slot freed, within seconds, however many clients do it; and the next export is whole.
 *
 * Over raw HTTP on a real socket, as a browser or curl that goes away would: the socket is
 * destroyed after the first chunk of the body (the COPY streaming), or before any response (the
 * COPY sorting, or its statement stopped on a lock: only a cancel ends it). Each abort is checked
 * on its own, ten in a row (the pool has 20 connections, the exports 4 slots), on incidents.csv
 * and citations.csv; the service runs in this process, so its pool can be read. */
import { once } from 'node:events';
import { request as httpRequest, IncomingMessage } from 'node:http';
import { AddressInfo } from 'node:net';
import { Client } from 'pg';
import type { Pool } from 'pg';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { Role } from '../../src/access/role';
import { MAX_CONCURRENT_EXPORTS } from '../../src/exports/export-slots';
import { ExportsService } from '../../src/exports/exports.service';
import { generateData } from '../../src/generate/generator';
import { csv, readCsv } from '../exports/support';
import { startTestApp, TestApp } from '../support/test-app';

/** Enough that an export takes a while: some 9 MB of incidents.csv, sorted before the first row. */
const INCIDENTS = 20_000;
const SEED = 3;
const ABORTS = 10;
const OBSERVER = 'vigil-test-observer';
const EXPORTS = ['/exports/incidents.csv', '/exports/citations.csv'] as const;
/** An export's statements: its count of protected values (admins see them), then its COPY. */
const EXPORT_STATEMENT = /^(COPY \(|SELECT count\(\*\) AS rows)/;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

interface Backend {
  pid: number;
  state: string | null;
  wait: string | null;
  query: string;
}

/** When the client goes away: after the first chunk of the body (the COPY streaming); before any
 * response, as soon as the statement runs (sorting every row before the first); or before any
 * response, with the statement stopped on a lock that is held all along, so that only a cancel
 * can end it (as a sort over millions of rows, which sends nothing for minutes). */
type Disconnect = 'streaming' | 'sorting' | 'blocked';
const DISCONNECTS: Disconnect[] = ['streaming', 'streaming', 'sorting', 'blocked'];

describe('a client that disconnects during a CSV export', () => {
  let t: TestApp;
  let pool: Pool;
  let observer: Client;
  /** Holds a lock that stops an export's statement (as a long sort would) until it is cancelled. */
  let locker: Client;
  let database: string;
  let port: number;
  let token: string;
  let baseline: number;
  /** Each export as first served. */
  const whole = new Map<string, string>();

  /** The service's backends on its database (the observer's own connection is named apart). */
  const backends = async (): Promise<Backend[]> =>
    (
      await observer.query<Backend>(
        `SELECT pid, state, wait_event_type AS wait, left(query, 60) AS query FROM pg_stat_activity
          WHERE datname = $1 AND application_name = 'vigil' AND backend_type = 'client backend' ORDER BY pid`,
        [database],
      )
    ).rows;
  /** The service's statements still running, or transactions still open: nothing else runs in the
   * service meanwhile, so these are the export's. */
  const exporting = async () => (await backends()).filter((b) => b.state !== 'idle');
  const poolState = () => ({ total: pool.totalCount, idle: pool.idleCount, waiting: pool.waitingCount });
  const slotsInUse = () => (t.app.get(ExportsService) as unknown as { slots: { inUse: number } }).slots.inUse;

  /** Everything settled: no export statement running, every pool connection idle and matched by
   * exactly one backend (none orphaned), no slot taken. */
  const settled = async () => {
    const state = poolState();
    const running = await exporting();
    const open = await backends();
    return {
      running: running.map((b) => `${b.pid} ${b.state}: ${b.query}`),
      busy: state.total - state.idle,
      waiting: state.waiting,
      orphans: open.length - state.total,
      slots: slotsInUse(),
    };
  };
  const SETTLED = { running: [], busy: 0, waiting: 0, orphans: 0, slots: 0 };

  /** Waits (up to `ms`) for the service to settle; returns the last state seen. */
  async function settle(ms = 5_000): Promise<Awaited<ReturnType<typeof settled>>> {
    const started = Date.now();
    let state = await settled();
    while (JSON.stringify(state) !== JSON.stringify(SETTLED) && Date.now() - started < ms) {
      await sleep(50);
      state = await settled();
    }
    return state;
  }

  /** Starts GET `path` on a socket of its own. */
  function start(path: string) {
    const req = httpRequest({ host: '127.0.0.1', port, path, headers: { authorization: `Bearer ${token}` } });
    req.on('error', () => undefined); // the socket is destroyed on purpose
    const response = new Promise<IncomingMessage>((resolve) => req.once('response', resolve));
    req.end();
    return { req, response };
  }

  beforeAll(async () => {
    t = await startTestApp({ demo: false });
    await generateData(t.dataSource, { incidents: INCIDENTS, seed: SEED });
    token = await t.tokenFor(Role.ADMIN);
    pool = (t.dataSource.driver as PostgresDriver).master as Pool;
    const url = new URL((t.dataSource.options as { url: string }).url);
    database = url.pathname.slice(1);
    observer = new Client({ connectionString: url.toString(), application_name: OBSERVER });
    await observer.connect();
    locker = new Client({ connectionString: url.toString(), application_name: OBSERVER });
    await locker.connect();
    const server = t.app.getHttpServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  }, 120_000);

  afterAll(async () => {
    // Should an export have been left running (the failure this tests), end it: the service
    // could not close while its pool waits for the connection.
    if (observer) await observer.query(`SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = $1 AND application_name = 'vigil' AND state <> 'idle'`, [database]);
    await observer?.end();
    await locker?.end();
    await t?.close();
  });

  it('is served whole beforehand (the baseline)', async () => {
    const [{ incidents }] = await t.dataSource.query(`SELECT count(*)::int AS incidents FROM incident WHERE deleted_at IS NULL`);
    for (const path of EXPORTS) whole.set(path, (await csv(t, path, Role.ADMIN)).text);
    expect(readCsv(whole.get(EXPORTS[0])!).rows.length).toBe(incidents);
    expect(readCsv(whole.get(EXPORTS[1])!).rows.length).toBeGreaterThan(incidents);
    expect(await settle()).toEqual(SETTLED);
    baseline = pool.totalCount;
  });

  it(`stops the statement and gives the connection back, ${ABORTS} times over`, async () => {
    expect(ABORTS).toBeGreaterThan(MAX_CONCURRENT_EXPORTS);
    const done: Record<Disconnect, number> = { streaming: 0, sorting: 0, blocked: 0 };
    for (let i = 0; i < ABORTS; i++) {
      // Each kind of disconnect on incidents.csv, then on citations.csv, and so on.
      const path = EXPORTS[Math.floor(i / DISCONNECTS.length) % EXPORTS.length];
      const mode = DISCONNECTS[i % DISCONNECTS.length];
      const table = path.includes('incidents') ? 'incident' : 'citation';
      if (mode === 'blocked') {
        await locker.query('BEGIN');
        await locker.query(`LOCK TABLE ${table} IN ACCESS EXCLUSIVE MODE`);
      }
      const { req, response } = start(path);
      let responded = false;
      void response.then(() => (responded = true));
      if (mode === 'streaming') {
        const res = await response;
        expect({ path, status: res.statusCode }).toEqual({ path, status: 200 });
        // One chunk, then nothing more is read (as a client that stalls before it goes).
        const chunk = await new Promise<Buffer>((resolve) =>
          res.once('data', (c: Buffer) => {
            res.pause();
            resolve(c);
          }),
        );
        expect(chunk.length).toBeGreaterThan(0);
        // The statement is still at work: the body is far from sent.
        expect((await exporting()).map((b) => b.query)).toEqual([expect.stringMatching(/^COPY/)]);
      } else {
        const started = Date.now();
        const ready = async () => {
          const running = await exporting();
          return running.some((b) => EXPORT_STATEMENT.test(b.query) && (mode === 'sorting' || b.wait === 'Lock'));
        };
        while (!responded && !(await ready()) && Date.now() - started < 10_000) await sleep(5);
        if (mode === 'blocked') expect({ responded, blocked: await ready() }).toEqual({ responded: false, blocked: true });
      }
      if (!responded || mode === 'streaming') done[mode]++;
      req.destroy();

      // Within seconds, and while the lock is still held: nothing left running, nothing held.
      const state = await settle();
      if (mode === 'blocked') await locker.query('ROLLBACK');
      expect({ abort: i + 1, path, mode, ...state }).toEqual({ abort: i + 1, path, mode, ...SETTLED });
      // The pool has not grown (beyond the connection that may have sent the cancel).
      expect(pool.totalCount).toBeLessThanOrEqual(baseline + 1);
    }
    // Each kind of disconnect happened (a sort may finish before the check sees it: not counted).
    expect(done.streaming).toBeGreaterThanOrEqual(ABORTS / 2);
    expect(done.blocked).toBeGreaterThanOrEqual(2);
  }, 60_000);

  it('still serves every export whole afterwards, the same bytes as before', async () => {
    for (const path of EXPORTS) {
      const again = await csv(t, path, Role.ADMIN);
      expect({ path, rows: again.rows.length }).toEqual({ path, rows: readCsv(whole.get(path)!).rows.length });
      expect(again.text === whole.get(path)).toBe(true);
    }
    expect(await settle()).toEqual(SETTLED);
    expect(pool.totalCount).toBeLessThanOrEqual(baseline + 1);
  });
});
