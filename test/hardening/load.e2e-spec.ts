/**
 * A bounded load test on loopback: the real application listens on a TCP port of 127.0.0.1 and
 * CLIENTS concurrent clients (default 50) run for SECONDS (default 30) over keep-alive connections
 * (Node's fetch), each picking by weight among:
 * - reads: the incident list with its citations and sources, the incidentStats aggregate, and
 *   full-text search, as the public, a researcher or an editor;
 * - writes, as an editor: createIncident (with a citation) under a unique marker in the headline;
 *   updateIncident of a record the client created, with the version it holds (must succeed) or a
 *   deliberately stale one (must be a CONFLICT); and updateIncident of one demo incident that every
 *   client updates with the version it last saw (CONFLICT is a legitimate outcome there);
 * - exports: GET /exports/incidents.csv with a filter, read to the end and parsed with csv-parse.
 *   The clients keep at most MAX_EXPORTS_PER_CALLER exports in flight (the share of one caller), as docs/exports.md asks.
 *
 * Afterwards, only correctness is asserted (the machine is shared, so no speed is): no 5xx, no
 * INTERNAL_SERVER_ERROR, no transport error; every acknowledged create is in the database exactly
 * once, with its citation, revision and audit entry, and no create that was not acknowledged wrote
 * anything; every record's version, revisions and audit entries match the updates acknowledged;
 * the contended record lost no update. p50/p90/p99 and requests/s per kind are written to
 * load-report.json in a temporary directory and printed once.
 *
 * LOAD_SECONDS and LOAD_CLIENTS override the duration and the number of clients.
 */
import { Random } from '../../src/generate/random';
import { parse } from 'csv-parse/sync';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MAX_CONCURRENT_EXPORTS, MAX_EXPORTS_PER_CALLER } from '../../src/exports/export-slots';
import { Role, startTestApp, TestApp } from '../support/test-app';

const SECONDS = Number(process.env.LOAD_SECONDS ?? 30);
const CLIENTS = Number(process.env.LOAD_CLIENTS ?? 50);
/** One request taking longer than this is a failure (a hang), not a slow answer. */
const REQUEST_TIMEOUT_MS = 30_000;
/** So that the test cannot pass without load: a very low bar, not a speed requirement. */
const MIN_REQUESTS = Math.max(100, CLIENTS * 5);

type Kind = 'list' | 'stats' | 'search' | 'create' | 'update' | 'updateStale' | 'updateShared' | 'export';
const WEIGHTS: Record<Kind, number> = { list: 22, stats: 13, search: 13, create: 18, update: 10, updateStale: 3, updateShared: 6, export: 15 };
const KINDS = Object.keys(WEIGHTS) as Kind[];

/** ok: what was asked happened; conflict: a legitimate CONFLICT; busy: the documented 503 of a
 * fifth concurrent export; error: anything else (a failure of the test). */
type Outcome = 'ok' | 'conflict' | 'busy' | 'error';

interface Sample {
  kind: Kind;
  status: number;
  ms: number;
  codes: string[];
  outcome: Outcome;
  detail?: string;
}

interface Answer {
  status: number;
  headers: Headers | null;
  text: string;
  ms: number;
  /** Set when no HTTP answer came (connection refused or reset, timeout). */
  transport?: string;
}

interface GqlAnswer extends Answer {
  body: { data?: Record<string, any> | null; errors?: { message: string; extensions?: Record<string, any> }[] } | null;
}

const LIST = `query($filter: IncidentFilter, $first: Int) {
  incidents(filter: $filter, first: $first) {
    totalCount
    edges { node {
      id headline kind verificationStatus version
      date { edtf precision asReported }
      victims { atLeast best atMost asReported }
      independentSourceCount
      citations { excerpt claim source { publisher publisherAttribution title published { edtf } url } }
    } }
  }
}`;
const STATS = `query($filter: IncidentFilter, $groupBy: [IncidentDimension!]!) {
  incidentStats(filter: $filter, groupBy: $groupBy) {
    countryCode year month kind incidents responses
    victims { atLeast atMost best unknown }
    deaths { atLeast atMost unknown }
  }
}`;
const SEARCH = `query($filter: IncidentFilter) {
  incidents(filter: $filter, orderBy: RELEVANCE, first: 20) { totalCount edges { node { id headline citations { excerpt } } } }
}`;
const CREATE = `mutation($input: CreateIncidentInput!) { createIncident(input: $input) { id version headline citations { id sourceId } } }`;
const UPDATE = `mutation($input: UpdateIncidentInput!) { updateIncident(input: $input) { id version } }`;

const LIST_FILTERS: Record<string, unknown>[] = [
  {},
  { regions: ['RU'] },
  { regions: ['RU-CE'], dateFrom: '2017-01-01', minIndependentSources: 1 },
  { kinds: ['KILLING', 'DETENTION', 'ABDUCTION'] },
  { regions: ['UA', 'GE'], victims: { min: 1 } },
  { hasResponse: false },
];
const GROUPINGS: string[][] = [[], ['COUNTRY'], ['YEAR', 'MONTH'], ['COUNTRY', 'KIND'], ['STATUS'], ['REGION', 'YEAR']];
const SEARCHES = ['prison or detained', '"secret prison"', 'abducted', 'load -torture', 'chechnya'];
const EXPORT_QUERIES = ['?regions=RU', '?regions=UA&orderBy=UPDATED_DESC', '?kinds=KILLING,DETENTION', '?dateFrom=2017-01-01&dateTo=2017-12-31', '?regions=GE&kinds=ABDUCTION', '?search=prison'];
const CREATE_REGIONS = ['UA', 'GE', 'RU-CE', 'BY'];
const CREATE_KINDS = ['ABDUCTION', 'DETENTION', 'KILLING', 'THREAT_OR_HARASSMENT'];

function percentile(sorted: number[], q: number): number {
  if (!sorted.length) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))];
}

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

describe('a bounded load test on loopback', () => {
  let t: TestApp;
  let base: string;
  let tokens: Record<'researcher' | 'editor', string>;
  let sourceIds: string[];
  let shared: { id: string; version: number };
  const run = `LOAD${Date.now().toString(36)}`;

  beforeAll(async () => {
    t = await startTestApp();
    await t.app.listen(0, '127.0.0.1');
    const { port } = t.app.getHttpServer().address() as AddressInfo;
    base = `http://127.0.0.1:${port}`;
    tokens = { researcher: await t.tokenFor(Role.RESEARCHER), editor: await t.tokenFor(Role.EDITOR) };
    sourceIds = (await t.dataSource.query(`SELECT id FROM source WHERE deleted_at IS NULL AND confidentiality = 'PUBLIC' ORDER BY id`)).map((r: { id: string }) => r.id);
    // A demo incident, loaded without history: its first update also writes its baseline revision.
    [shared] = await t.dataSource.query(`SELECT id, version FROM incident WHERE deleted_at IS NULL ORDER BY id LIMIT 1`);
    expect(sourceIds.length).toBeGreaterThan(0);
    expect(shared).toBeDefined();
  });
  afterAll(() => t?.close());

  async function send(path: string, init: RequestInit): Promise<Answer> {
    const started = performance.now();
    try {
      const res = await fetch(`${base}${path}`, { ...init, signal: AbortSignal.timeout(REQUEST_TIMEOUT_MS) });
      const text = await res.text();
      return { status: res.status, headers: res.headers, text, ms: performance.now() - started };
    } catch (error) {
      const e = error as Error & { cause?: { code?: string } };
      return { status: 0, headers: null, text: '', ms: performance.now() - started, transport: `${e.name}: ${e.message}${e.cause?.code ? ` (${e.cause.code})` : ''}` };
    }
  }

  async function gql(query: string, variables: Record<string, unknown>, token: string | null): Promise<GqlAnswer> {
    const answer = await send('/graphql', {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
      body: JSON.stringify({ query, variables }),
    });
    let body: GqlAnswer['body'] = null;
    try {
      body = answer.text ? JSON.parse(answer.text) : null;
    } catch {
      body = null;
    }
    return { ...answer, body };
  }

  it(
    `serves ${CLIENTS} concurrent clients for ${SECONDS} s of mixed reads, writes and exports without a 5xx or a lost or duplicated write`,
    async () => {
      const samples: Sample[] = [];
      /** marker -> id of every create acknowledged with an id. */
      const acknowledged = new Map<string, string>();
      /** Markers of creates that got no acknowledgement (an error, no answer). */
      const unacknowledged = new Set<string>();
      /** Successful updates per created record. */
      const updatesOf = new Map<string, number>();
      /** Versions the contended record was given by each acknowledged update. */
      const sharedVersions: number[] = [];
      let exportsInFlight = 0;
      let maxExportsInFlight = 0;

      const sample = (kind: Kind, a: Answer, outcome: Outcome, codes: string[] = [], detail?: string) => {
        samples.push({ kind, status: a.status, ms: a.ms, codes, outcome, ...(detail || a.transport ? { detail: detail ?? a.transport } : {}) });
      };
      const codesOf = (a: GqlAnswer) => (a.body?.errors ?? []).map((e) => String(e.extensions?.code ?? 'NO_CODE'));
      const explain = (a: GqlAnswer) => a.transport ?? `${a.status} ${a.text.slice(0, 300)}`;

      // Diagnostic: how long the service waits for one of its pool's connections (20), which gives
      // up after CONNECT_TIMEOUT_MS (a 503). Timed around pg-pool's connect, as TypeORM calls it.
      type Connect = (callback?: (...args: unknown[]) => void) => unknown;
      const pool = (t.dataSource.driver as unknown as { master: { connect: Connect; waitingCount: number } }).master;
      const connect = pool.connect;
      const poolWaits: number[] = [];
      let maxPoolWaiting = 0;
      pool.connect = function (this: unknown, callback?: (...args: unknown[]) => void) {
        const asked = performance.now();
        maxPoolWaiting = Math.max(maxPoolWaiting, pool.waitingCount);
        const done = () => poolWaits.push(performance.now() - asked);
        if (callback) return connect.call(this, (...args: unknown[]) => (done(), callback(...args)));
        return (connect.call(this) as Promise<unknown>).then((client) => (done(), client));
      };

      const started = performance.now();
      const deadline = Date.now() + SECONDS * 1000;

      async function client(c: number): Promise<void> {
        const generator = new Random(c, 'load client');
        const rand = () => generator.float();
        const pick = <T>(xs: readonly T[]): T => xs[Math.floor(rand() * xs.length)];
        const total = KINDS.reduce((s, k) => s + WEIGHTS[k], 0);
        const choose = (): Kind => {
          let x = rand() * total;
          for (const k of KINDS) if ((x -= WEIGHTS[k]) < 0) return k;
          return 'list';
        };
        const readerToken = () => pick([null, tokens.researcher, tokens.editor]);
        const own: { id: string; version: number }[] = [];
        let sharedSeen = shared.version;
        let seq = 0;

        while (Date.now() < deadline) {
          let kind = choose();
          if ((kind === 'update' || kind === 'updateStale') && own.length === 0) kind = 'create';
          // Below the per-caller share, which one caller's exports could otherwise meet.
          if (kind === 'export' && exportsInFlight >= MAX_EXPORTS_PER_CALLER) kind = 'list';

          if (kind === 'list' || kind === 'stats' || kind === 'search') {
            const a =
              kind === 'list'
                ? await gql(LIST, { filter: pick(LIST_FILTERS), first: pick([10, 20, 50]) }, readerToken())
                : kind === 'stats'
                  ? await gql(STATS, { filter: pick([{}, { regions: ['RU'] }, { dateFrom: '2017-01-01', dateTo: '2017-12-31', dateMatch: 'WITHIN' }]), groupBy: pick(GROUPINGS) }, readerToken())
                  : await gql(SEARCH, { filter: { search: pick(SEARCHES), ...(rand() < 0.3 ? { regions: ['RU'] } : {}) } }, readerToken());
            const field = kind === 'stats' ? 'incidentStats' : 'incidents';
            const ok = a.status === 200 && !a.body?.errors && a.body?.data?.[field] != null;
            sample(kind, a, ok ? 'ok' : 'error', codesOf(a), ok ? undefined : explain(a));
          } else if (kind === 'create') {
            const marker = `${run}-c${c}-n${seq++}`;
            const a = await gql(
              CREATE,
              {
                input: {
                  kind: pick(CREATE_KINDS),
                  headline: marker,
                  description: `Written by load-test client ${c}.`,
                  date: pick([{ edtf: '2021-05' }, { start: '2017-04-02', precision: 'DAY' }, { edtf: '2019~', asReported: 'around 2019' }]),
                  regionCode: pick(CREATE_REGIONS),
                  victims: { atLeast: 1 + Math.floor(rand() * 50), basis: 'ESTIMATED' },
                  confidentiality: rand() < 0.8 ? 'PUBLIC' : 'RESTRICTED',
                  citations: [{ sourceId: pick(sourceIds), claim: 'load test', excerpt: `excerpt ${marker}` }],
                  reason: 'load test',
                },
              },
              tokens.editor,
            );
            const made = a.body?.data?.createIncident;
            if (a.status === 200 && !a.body?.errors && made?.id && made.version === 1 && made.headline === marker && made.citations?.length === 1) {
              acknowledged.set(marker, made.id);
              own.push({ id: made.id, version: 1 });
              updatesOf.set(made.id, 0);
              sample(kind, a, 'ok');
            } else {
              // Acknowledged with an id but wrong: it counts as written, and fails the test.
              if (made?.id) acknowledged.set(marker, made.id);
              else unacknowledged.add(marker);
              sample(kind, a, 'error', codesOf(a), explain(a));
            }
          } else if (kind === 'update' || kind === 'updateStale') {
            const record = pick(own);
            const stale = kind === 'updateStale' && record.version > 1;
            const given = stale ? record.version - 1 : kind === 'updateStale' ? record.version + 1 : record.version;
            const a = await gql(
              UPDATE,
              {
                input: {
                  id: record.id,
                  version: given,
                  changes: { description: `Edited by client ${c}, request ${seq++}.`, victims: { atLeast: 1 + Math.floor(rand() * 50), basis: 'ESTIMATED' } },
                  reason: 'load test',
                },
              },
              tokens.editor,
            );
            const out = a.body?.data?.updateIncident;
            const codes = codesOf(a);
            if (kind === 'update') {
              if (a.status === 200 && !a.body?.errors && out?.version === record.version + 1) {
                record.version += 1;
                updatesOf.set(record.id, updatesOf.get(record.id)! + 1);
                sample(kind, a, 'ok');
              } else {
                sample(kind, a, 'error', codes, explain(a));
              }
            } else {
              const conflict = a.body?.errors?.[0];
              const expected = a.status === 200 && !out && codes.length === 1 && codes[0] === 'CONFLICT' && conflict?.extensions?.currentVersion === record.version;
              sample(kind, a, expected ? 'conflict' : 'error', codes, expected ? undefined : explain(a));
              // Should a wrong version ever be accepted, keep the books right for the checks below.
              if (out?.version) {
                record.version = out.version;
                updatesOf.set(record.id, updatesOf.get(record.id)! + 1);
              }
            }
          } else if (kind === 'updateShared') {
            const a = await gql(
              UPDATE,
              { input: { id: shared.id, version: sharedSeen, changes: { description: `Contended edit by client ${c}, request ${seq++}.` }, reason: 'load test' } },
              tokens.editor,
            );
            const out = a.body?.data?.updateIncident;
            const codes = codesOf(a);
            if (a.status === 200 && !a.body?.errors && out?.version === sharedSeen + 1) {
              sharedVersions.push(out.version);
              sharedSeen = out.version;
              sample(kind, a, 'ok');
            } else if (a.status === 200 && !out && codes.length === 1 && codes[0] === 'CONFLICT') {
              const current = a.body!.errors![0].extensions?.currentVersion;
              // Another client won this version: the record must be ahead of the version given.
              const sound = typeof current !== 'number' || current > sharedSeen;
              if (typeof current === 'number') sharedSeen = Math.max(sharedSeen, current);
              sample(kind, a, sound ? 'conflict' : 'error', codes, sound ? undefined : explain(a));
            } else {
              if (out?.version) sharedVersions.push(out.version);
              sample(kind, a, 'error', codes, explain(a));
            }
          } else {
            exportsInFlight += 1;
            maxExportsInFlight = Math.max(maxExportsInFlight, exportsInFlight);
            const token = readerToken();
            let a: Answer;
            try {
              a = await send(`/exports/incidents.csv${pick(EXPORT_QUERIES)}`, { headers: token ? { authorization: `Bearer ${token}` } : {} });
            } finally {
              exportsInFlight -= 1;
            }
            if (a.status === 200) {
              let problem: string | undefined;
              try {
                if (a.headers?.get('content-type') !== 'text/csv; charset=utf-8') throw new Error(`content-type ${a.headers?.get('content-type')}`);
                const [header, ...rows]: string[][] = parse(a.text, { bom: true, relax_column_count: false });
                if (header?.[0] !== 'id' || header[2] !== 'headline') throw new Error(`header ${header?.slice(0, 3)}`);
                if (!rows.every((r) => /^[0-9a-f-]{36}$/.test(r[0]))) throw new Error('a row without an id');
              } catch (error) {
                problem = `bad CSV: ${(error as Error).message}`;
              }
              sample(kind, a, problem ? 'error' : 'ok', [], problem);
            } else {
              let code: string | undefined;
              try {
                code = JSON.parse(a.text).code;
              } catch {
                code = undefined;
              }
              const busy = a.status === 503 && code === 'SERVICE_UNAVAILABLE' && !!a.headers?.get('retry-after') && /exports are running already/.test(a.text);
              sample(kind, a, busy ? 'busy' : 'error', code ? [code] : [], busy ? undefined : a.transport ?? `${a.status} ${a.text.slice(0, 300)}`);
            }
          }
        }
      }

      await Promise.all(Array.from({ length: CLIENTS }, (_, c) => client(c)));
      const elapsed = (performance.now() - started) / 1000;
      pool.connect = connect;
      poolWaits.sort((a, b) => a - b);
      const poolWait = { connections: poolWaits.length, maxWaiting: maxPoolWaiting, p99ms: round(percentile(poolWaits, 0.99)), maxMs: round(poolWaits.at(-1) ?? 0) };

      // ---- figures ------------------------------------------------------------------------------
      const figures = (of: Sample[]) => {
        const ms = of.map((s) => s.ms).sort((a, b) => a - b);
        const count = (o: Outcome) => of.filter((s) => s.outcome === o).length;
        return {
          requests: of.length,
          ok: count('ok'),
          conflict: count('conflict'),
          busy: count('busy'),
          error: count('error'),
          rps: round(of.length / elapsed),
          p50: round(percentile(ms, 0.5)),
          p90: round(percentile(ms, 0.9)),
          p99: round(percentile(ms, 0.99)),
          max: round(ms.at(-1) ?? NaN),
        };
      };
      const perKind = Object.fromEntries(KINDS.map((k) => [k, figures(samples.filter((s) => s.kind === k))]));
      const all = figures(samples);
      const report = {
        clients: CLIENTS,
        seconds: SECONDS,
        elapsedSeconds: round(elapsed, 2),
        maxExportsInFlight,
        poolWait,
        all,
        perKind,
        statuses: samples.reduce<Record<string, number>>((m, s) => ((m[s.status] = (m[s.status] ?? 0) + 1), m), {}),
        errors: samples.filter((s) => s.outcome === 'error').slice(0, 20),
      };
      const dir = mkdtempSync(join(tmpdir(), 'vigil-load-'));
      const file = join(dir, 'load-report.json');
      writeFileSync(file, JSON.stringify(report, null, 2));
      const row = (name: string, f: ReturnType<typeof figures>) =>
        `${name.padEnd(13)}${String(f.requests).padStart(7)}${String(f.rps).padStart(8)}${String(f.p50).padStart(8)}${String(f.p99).padStart(9)}  ok ${f.ok} conflict ${f.conflict} busy ${f.busy} error ${f.error}`;
      console.log(
        [
          `load: ${CLIENTS} clients, ${round(elapsed, 1)} s; database connection wait p99 ${poolWait.p99ms} ms, max ${poolWait.maxMs} ms (${poolWait.maxWaiting} waiting) -> ${file}`,
          `${'kind'.padEnd(13)}${'reqs'.padStart(7)}${'rps'.padStart(8)}${'p50 ms'.padStart(8)}${'p99 ms'.padStart(9)}`,
          ...KINDS.map((k) => row(k, perKind[k])),
          row('all', all),
        ].join('\n'),
      );

      // Every check is computed first and compared at once, so a failure shows all that went wrong.

      // ---- what each request got ----------------------------------------------------------------
      const errors = samples.filter((s) => s.outcome === 'error');
      const requests = {
        errors: errors.length,
        firstErrors: errors.slice(0, 5),
        serverErrors: samples.filter((s) => s.status >= 500 && s.outcome !== 'busy').length,
        internalErrors: samples.filter((s) => s.codes.includes('INTERNAL_SERVER_ERROR')).length,
        transportErrors: samples.filter((s) => s.status === 0).length,
        // The clients never run more exports than the service takes; a refusal may only come from a
        // slot given back a moment after the client has read the last byte.
        exportsWithinLimit: maxExportsInFlight <= MAX_CONCURRENT_EXPORTS,
        busyRare: all.busy <= Math.ceil(perKind.export.requests * 0.02),
        // Not vacuous: enough requests, and every kind answered as intended at least once.
        enoughRequests: all.requests >= MIN_REQUESTS,
        kindsNeverAnswered: KINDS.filter((k) => perKind[k].ok + perKind[k].conflict === 0),
      };

      // ---- creates: each acknowledged one exactly once, nothing of any other --------------------
      const rows: { id: string; headline: string; version: number }[] = await t.dataSource.query(
        `SELECT id, headline, version FROM incident WHERE headline LIKE $1 || '-%'`,
        [run],
      );
      const byMarker = new Map<string, string[]>();
      for (const r of rows) byMarker.set(r.headline, [...(byMarker.get(r.headline) ?? []), r.id]);
      const ids = [...acknowledged.values()];
      const [citations] = await t.dataSource.query(
        `SELECT count(*)::int AS rows, count(DISTINCT incident_id)::int AS incidents FROM citation WHERE incident_id = ANY($1::uuid[])`,
        [ids],
      );
      const creates = {
        duplicated: [...byMarker].filter(([, found]) => found.length > 1),
        lost: [...acknowledged].filter(([marker, id]) => byMarker.get(marker)?.[0] !== id),
        // A row whose create was never acknowledged: a create that failed wrote something.
        unacknowledgedWritten: [...byMarker.keys()].filter((marker) => !acknowledged.has(marker)),
        rowsMinusAcknowledged: rows.length - acknowledged.size,
        acknowledgedMinusOk: acknowledged.size - perKind.create.ok,
        citationsMinusAcknowledged: { rows: citations.rows - ids.length, incidents: citations.incidents - ids.length },
      };

      // ---- updates: versions, revisions and audit entries match what was acknowledged -----------
      const version = new Map(rows.map((r) => [r.id, r.version]));
      const revisions: { id: string; creates: number; versions: number[] }[] = await t.dataSource.query(
        `SELECT subject_id AS id, count(*) FILTER (WHERE action = 'CREATE')::int AS creates, array_agg(version ORDER BY version) AS versions
           FROM revision WHERE subject_type = 'INCIDENT' AND subject_id = ANY($1::uuid[]) GROUP BY subject_id`,
        [ids],
      );
      const audits: { id: string; creates: number; updates: number }[] = await t.dataSource.query(
        `SELECT subject_id AS id, count(*) FILTER (WHERE action = 'CREATE')::int AS creates, count(*) FILTER (WHERE action = 'UPDATE')::int AS updates
           FROM audit_event WHERE subject_type = 'Incident' AND subject_id = ANY($1::text[]) GROUP BY subject_id`,
        [ids],
      );
      const revisionsOf = new Map(revisions.map((r) => [r.id, r]));
      const auditsOf = new Map(audits.map((r) => [r.id, r]));
      const mismatched = ids.flatMap((id) => {
        const n = updatesOf.get(id) ?? 0;
        const expected = { version: 1 + n, revisions: Array.from({ length: 1 + n }, (_, k) => k + 1), creates: 1, audited: [1, n] };
        const r = revisionsOf.get(id);
        const got = { version: version.get(id), revisions: r?.versions, creates: r?.creates, audited: [auditsOf.get(id)?.creates, auditsOf.get(id)?.updates] };
        return JSON.stringify(expected) === JSON.stringify(got) ? [] : [{ id, expected, got }];
      });
      const updates = {
        mismatched: mismatched.slice(0, 5),
        mismatchedCount: mismatched.length,
        acknowledgedMinusOk: [...updatesOf.values()].reduce((a, b) => a + b, 0) - perKind.update.ok,
      };

      // ---- the contended record: one winner per version, none lost ------------------------------
      const [{ version: sharedNow }] = await t.dataSource.query(`SELECT version FROM incident WHERE id = $1`, [shared.id]);
      const won = [...sharedVersions].sort((a, b) => a - b);
      const sharedRevisions: { version: number; action: string }[] = await t.dataSource.query(
        `SELECT version, action FROM revision WHERE subject_type = 'INCIDENT' AND subject_id = $1 ORDER BY version`,
        [shared.id],
      );
      const expectedRevisions = [...(won.length ? [{ version: shared.version, action: 'BASELINE' }] : []), ...won.map((v) => ({ version: v, action: 'UPDATE' }))];
      const contended = {
        // Each acknowledged update gave the next version: none acknowledged twice, none skipped.
        versionsWon: JSON.stringify(won) === JSON.stringify(Array.from({ length: won.length }, (_, k) => shared.version + 1 + k)),
        versionNowMinusExpected: sharedNow - (shared.version + won.length),
        revisionsMatch: JSON.stringify(sharedRevisions) === JSON.stringify(expectedRevisions),
      };

      expect({ requests, creates, updates, contended }).toEqual({
        requests: {
          errors: 0,
          firstErrors: [],
          serverErrors: 0,
          internalErrors: 0,
          transportErrors: 0,
          exportsWithinLimit: true,
          busyRare: true,
          enoughRequests: true,
          kindsNeverAnswered: [],
        },
        creates: {
          duplicated: [],
          lost: [],
          unacknowledgedWritten: [],
          rowsMinusAcknowledged: 0,
          acknowledgedMinusOk: 0,
          citationsMinusAcknowledged: { rows: 0, incidents: 0 },
        },
        updates: { mismatched: [], mismatchedCount: 0, acknowledgedMinusOk: 0 },
        contended: { versionsWon: true, versionNowMinusExpected: 0, revisionsMatch: true },
      });
    },
    SECONDS * 1000 + 120_000,
  );
});
