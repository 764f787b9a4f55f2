import { Logger } from '@nestjs/common';
import { LRUCache } from 'lru-cache';
import { Client, type Pool } from 'pg';
import { DataSource } from 'typeorm';
import { PostgresDriver } from 'typeorm/driver/postgres/PostgresDriver';
import { CONNECT_TIMEOUT_MS } from '../database/data-source';
import { ExportSlots, MAX_CONCURRENT_EXPORTS, MAX_EXPORTS_PER_CALLER } from '../exports/export-slots';

/** A key's count in its window, this hit included, and the time left in the window. */
export interface Count {
  hits: number;
  resetInMs: number;
}

/** Gives a taken export slot back; calling it again does nothing. */
export type SlotRelease = () => void;

/** The state every instance must share for its limits to hold across instances. */
export interface LimitStore {
  /** Counts one hit on `key` in a fixed window of `windowMs` that starts at the key's first hit. */
  hit(key: string, windowMs: number): Promise<Count>;
  /** An export slot for `caller`, or null when every slot, or every slot of `caller`, is taken. */
  takeExportSlot(caller: string): Promise<SlotRelease | null>;
  /** Export slots this process holds now. */
  readonly inUse: number;
  close(): Promise<void>;
}

/** Distinct keys whose counters one process keeps in memory (least recently seen dropped first). */
export const COUNTER_CAPACITY = 100_000;

/** Counters and slots in this process's memory: what Vigil did before LIMITS_STORE existed. */
export class MemoryLimitStore implements LimitStore {
  private readonly counters = new LRUCache<string, { hits: number; resetsAt: number }>({ max: COUNTER_CAPACITY });
  private readonly slots = new ExportSlots();

  async hit(key: string, windowMs: number): Promise<Count> {
    const now = Date.now();
    let counter = this.counters.get(key);
    if (!counter || counter.resetsAt <= now) {
      counter = { hits: 0, resetsAt: now + windowMs };
      this.counters.set(key, counter);
    }
    counter.hits += 1;
    return { hits: counter.hits, resetInMs: counter.resetsAt - now };
  }

  async takeExportSlot(caller: string): Promise<SlotRelease | null> {
    return this.slots.take(caller);
  }

  get inUse(): number {
    return this.slots.inUse;
  }

  async close(): Promise<void> {}
}

/** Hits sent to PostgreSQL in one statement, at most. */
const MAX_BATCH = 1_000;
/** Expired counters are deleted this often (by every instance; the statement is cheap). */
const SWEEP_INTERVAL_MS = 60_000;
/** Advisory-lock keys of the export slots: one bigint per slot, from this base. Caller slots use
 * the two-int4 form (hashtext(caller), n), a key space PostgreSQL keeps apart from the bigint one. */
const EXPORT_SLOT_LOCK_BASE = 0x76_69_67_69_6c_00; // "vigil\0"

interface PendingHit {
  key: string;
  windowMs: number;
  resolve: (count: Count) => void;
  reject: (error: unknown) => void;
}

/**
 * Counters in an UNLOGGED table, slots as advisory locks: shared by every instance on the database.
 *
 * Counting costs one statement per batch, not per request: hits that arrive while a statement is
 * out are sent together in the next one (one statement in flight per process, as a database's
 * group commit), so under load a statement carries many hits, and alone a hit waits for nothing
 * but its own round trip. Each hit still gets its exact position in its key's count: the batch
 * adds n to a key and gets back the total, and the batch's hits on that key take the last n
 * positions in the order they arrived.
 *
 * Export slots are session-level advisory locks held on one connection of this process (opened on
 * the first export): a process that dies closes its connection, and PostgreSQL drops its locks at
 * once; a host that vanishes is noticed by the server's TCP keepalive, set on that session to give
 * up within about 25 s.
 */
export class PostgresLimitStore implements LimitStore {
  private readonly logger = new Logger('Limits');
  private queue: PendingHit[] = [];
  private flushing = false;
  private readonly sweeper: NodeJS.Timeout;
  private slotClient: Promise<Client> | null = null;
  /** Advisory-lock calls go one at a time on the slot connection: take and release never interleave. */
  private slotQueue: Promise<unknown> = Promise.resolve();
  private closed = false;
  private held = 0;

  constructor(private readonly dataSource: DataSource) {
    this.sweeper = setInterval(() => void this.sweep(), SWEEP_INTERVAL_MS);
    this.sweeper.unref();
  }

  hit(key: string, windowMs: number): Promise<Count> {
    return new Promise((resolve, reject) => {
      this.queue.push({ key, windowMs, resolve, reject });
      if (!this.flushing) {
        this.flushing = true;
        // Lets the hits of requests that arrived together join the first statement.
        setImmediate(() => void this.flush());
      }
    });
  }

  private async flush(): Promise<void> {
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, MAX_BATCH);
        try {
          await this.send(batch);
        } catch (error) {
          for (const pending of batch) pending.reject(error);
        }
      }
    } finally {
      this.flushing = false;
    }
  }

  private async send(batch: PendingHit[]): Promise<void> {
    const byKey = new Map<string, PendingHit[]>();
    for (const pending of batch) {
      const same = byKey.get(pending.key);
      if (same) same.push(pending);
      else byKey.set(pending.key, [pending]);
    }
    // In key order, so that two instances updating the same keys lock them in the same order.
    const keys = [...byKey.keys()].sort();
    // A named statement: parsed and planned once per connection, not once per batch.
    const pool = (this.dataSource.driver as PostgresDriver).master as Pool;
    const { rows } = await pool.query<{ key: string; hits: number; reset_in_ms: number }>({
      name: 'vigil-rate-limit-hit',
      text: `INSERT INTO rate_limit_counter AS c (key, hits, resets_at)
       SELECT k, n, clock_timestamp() + w * interval '1 millisecond'
         FROM unnest($1::text[], $2::int[], $3::int[]) WITH ORDINALITY AS x(k, n, w, o) ORDER BY o
       ON CONFLICT (key) DO UPDATE SET
         hits = CASE WHEN c.resets_at <= clock_timestamp() THEN excluded.hits ELSE c.hits + excluded.hits END,
         resets_at = CASE WHEN c.resets_at <= clock_timestamp() THEN excluded.resets_at ELSE c.resets_at END
       RETURNING key, hits, greatest(0, ceil(extract(epoch FROM resets_at - clock_timestamp()) * 1000))::int AS reset_in_ms`,
      values: [keys, keys.map((k) => byKey.get(k)!.length), keys.map((k) => byKey.get(k)![0].windowMs)],
    });
    for (const row of rows) {
      const hits = byKey.get(row.key)!;
      const before = row.hits - hits.length;
      hits.forEach((pending, k) => pending.resolve({ hits: before + k + 1, resetInMs: row.reset_in_ms }));
    }
  }

  private async sweep(): Promise<void> {
    if (this.closed || !this.dataSource.isInitialized) return;
    try {
      await this.dataSource.query(`DELETE FROM rate_limit_counter WHERE resets_at < clock_timestamp()`);
    } catch {
      // The next sweep tries again; an expired counter is reset by its next hit anyway.
    }
  }

  /** One connection of its own to the primary, kept for the process's lifetime, for the advisory locks. */
  private connection(): Promise<Client> {
    if (!this.slotClient) {
      const driver = this.dataSource.driver as PostgresDriver;
      const url = driver.options.replication?.master.url ?? driver.options.url;
      const client = new Client({ connectionString: url, application_name: 'vigil export slots', connectionTimeoutMillis: CONNECT_TIMEOUT_MS, keepAlive: true });
      const opened = (async () => {
        await client.connect();
        // The server gives up on a silent client after 10 + 3 x 5 s: a vanished host's slots are free then.
        await client.query(`SET tcp_keepalives_idle = 10; SET tcp_keepalives_interval = 5; SET tcp_keepalives_count = 3`);
        return client;
      })();
      const forget = () => {
        // Lost with the connection: every lock this process held. The next export opens a new one.
        if (this.slotClient === opened) this.slotClient = null;
      };
      client.on('error', (error) => {
        this.logger.warn(`The export slots' connection failed (${(error as { code?: string }).code ?? 'no code'})`);
        forget();
      });
      client.on('end', forget);
      opened.catch(forget);
      this.slotClient = opened;
    }
    return this.slotClient;
  }

  /** Runs `work` on the slot connection once the previous call is done. */
  private onSlotConnection<T>(work: (client: Client) => Promise<T>): Promise<T> {
    const run = this.slotQueue.then(async () => work(await this.connection()));
    this.slotQueue = run.catch(() => undefined);
    return run;
  }

  /** The locks this process holds on its slot connection. Advisory locks are re-entrant within a
   * session, so PostgreSQL would grant this process a lock it already holds: it skips those. */
  private owned: { client: Client; slots: Set<number>; callerSlots: Map<string, Set<number>> } | null = null;

  private ownedOn(client: Client) {
    // A new connection holds none of the old one's locks.
    if (this.owned?.client !== client) this.owned = { client, slots: new Set(), callerSlots: new Map() };
    return this.owned;
  }

  async takeExportSlot(caller: string): Promise<SlotRelease | null> {
    const taken = await this.onSlotConnection(async (client) => {
      const owned = this.ownedOn(client);
      const callerSlots = owned.callerSlots.get(caller) ?? new Set<number>();
      const tryLock = async (sql: string, parameters: unknown[]) => (await client.query<{ ok: boolean }>(sql, parameters)).rows[0].ok;
      for (let mine = 0; mine < MAX_EXPORTS_PER_CALLER; mine++) {
        if (callerSlots.has(mine) || !(await tryLock(`SELECT pg_try_advisory_lock(hashtext($1), $2) AS ok`, [caller, mine]))) continue;
        for (let slot = 0; slot < MAX_CONCURRENT_EXPORTS; slot++) {
          if (owned.slots.has(slot) || !(await tryLock(`SELECT pg_try_advisory_lock($1::bigint) AS ok`, [EXPORT_SLOT_LOCK_BASE + slot]))) continue;
          owned.slots.add(slot);
          owned.callerSlots.set(caller, callerSlots.add(mine));
          return { client, mine, slot };
        }
        await client.query(`SELECT pg_advisory_unlock(hashtext($1), $2)`, [caller, mine]);
        return null;
      }
      return null;
    });
    if (!taken) return null;
    this.held += 1;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      this.held -= 1;
      void this.onSlotConnection(async (client) => {
        if (client !== taken.client || this.owned?.client !== client) return; // lost with the old connection
        await client.query(`SELECT pg_advisory_unlock($1::bigint), pg_advisory_unlock(hashtext($2), $3)`, [EXPORT_SLOT_LOCK_BASE + taken.slot, caller, taken.mine]);
        this.owned.slots.delete(taken.slot);
        const callerSlots = this.owned.callerSlots.get(caller);
        callerSlots?.delete(taken.mine);
        if (callerSlots?.size === 0) this.owned.callerSlots.delete(caller);
      }).catch(() => undefined);
    };
  }

  get inUse(): number {
    return this.held;
  }

  async close(): Promise<void> {
    this.closed = true;
    clearInterval(this.sweeper);
    const client = this.slotClient;
    this.slotClient = null;
    if (client) await client.then((c) => c.end()).catch(() => undefined);
  }
}
