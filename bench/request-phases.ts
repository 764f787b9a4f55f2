/* Preloaded (`node --require`) into the servers of bench/latency-ab.ts, it says where a request's
 * wall time goes: from the request's arrival to the first statement sent, each statement's round
 * trip, the gaps between them, and from the last result to the response's end, as medians over the
 * last 500 requests with at least three statements (the page). Written at exit to
 * `.vigil/latency/phases-<pid>.json`. In Vigil, also the time to IncidentsService.list, paginate and
 * readEntities. Used in bench/README.md ("Round 4 (issue 18): page p50"):
 *   npm run build && npx tsc -p bench/tsconfig.json
 *   NODE_OPTIONS="--require $PWD/dist/bench/request-phases.js" LAT_READS=page node dist/bench/latency-ab.js
 * Its own cost is a few microseconds per mark, the same in every server. */
import { mkdirSync, writeFileSync } from 'node:fs';
import { Server, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';

interface Statement {
  sent: number;
  done?: number;
}
interface RequestMarks {
  arrived: number;
  statements: Statement[];
  marks: Record<string, number>;
  head?: number;
  end?: number;
}

const now = () => Number(process.hrtime.bigint()) / 1e6;
let current: RequestMarks | null = null;
const finished: RequestMarks[] = [];

const emit = Server.prototype.emit;
Server.prototype.emit = function (this: Server, event: string, ...args: unknown[]) {
  if (event === 'request' && (args[0] as { method?: string }).method === 'POST') {
    const marks: RequestMarks = { arrived: now(), statements: [], marks: {} };
    current = marks;
    const res = args[1] as ServerResponse;
    const writeHead = res.writeHead;
    res.writeHead = function (this: ServerResponse, ...headArgs: unknown[]) {
      marks.head ??= now();
      return (writeHead as (...a: unknown[]) => ServerResponse).apply(this, headArgs);
    } as typeof res.writeHead;
    res.on('finish', () => {
      marks.end = now();
      finished.push(marks);
      if (finished.length > 2000) finished.splice(0, 1000);
    });
  }
  return (emit as (this: Server, ...a: unknown[]) => boolean).call(this, event, ...args);
} as typeof Server.prototype.emit;

function mark(name: string): void {
  if (current && current.marks[name] === undefined) current.marks[name] = now();
}

// The `pg` of the server being measured (resolved from its working directory, the repository).
type Query = (...args: unknown[]) => unknown;
try {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pg = require(require.resolve('pg', { paths: [process.cwd()] })) as { Client: { prototype: { query: Query } } };
  const query = pg.Client.prototype.query;
  pg.Client.prototype.query = function (this: unknown, ...args: unknown[]) {
    const statement: Statement | null = current ? { sent: now() } : null;
    if (statement) current!.statements.push(statement);
    const last = args.length - 1;
    if (statement && typeof args[last] === 'function') {
      const callback = args[last] as (...a: unknown[]) => unknown;
      args[last] = function (this: unknown, ...callbackArgs: unknown[]) {
        statement.done = now();
        return callback.apply(this, callbackArgs);
      };
    }
    const result = query.apply(this, args);
    if (statement && result && typeof (result as Promise<unknown>).then === 'function') {
      (result as Promise<unknown>).then(
        () => void (statement.done = now()),
        () => undefined,
      );
    }
    return result;
  };
} catch {
  // Not a server that reads through pg.
}

// Vigil's own steps, when this is Vigil's built entry (dist/src/main.js).
const dist = dirname(dirname(process.argv[1] ?? '.'));
function markCalls(file: string, name: string, className?: string): void {
  try {
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const module = require(join(dist, file)) as Record<string, Record<string, unknown> & { prototype?: Record<string, unknown> }>;
    const target = (className ? module[className].prototype : module) as Record<string, (...a: unknown[]) => unknown>;
    const original = target[name];
    target[name] = function (this: unknown, ...args: unknown[]) {
      mark(name);
      return original.apply(this, args);
    };
  } catch {
    // Not Vigil, or another build without it.
  }
}
setImmediate(() => {
  markCalls('src/incidents/incidents.service.js', 'list', 'IncidentsService');
  markCalls('src/common/keyset.js', 'paginate');
  markCalls('src/database/entity-rows.js', 'readEntities');
});

process.on('exit', () => {
  const requests = finished.filter((r) => r.end !== undefined && r.statements.length >= 3 && r.statements.every((s) => s.done !== undefined)).slice(-500);
  if (!requests.length) return;
  const median = (xs: number[]) => {
    const sorted = xs.filter((x) => !Number.isNaN(x)).sort((a, b) => a - b);
    return sorted.length ? Number(sorted[Math.floor(sorted.length / 2)].toFixed(3)) : null;
  };
  const lastDone = (r: RequestMarks) => Math.max(...r.statements.map((s) => s.done!));
  const phases: Record<string, number | null> = { requests: requests.length, total: median(requests.map((r) => r.end! - r.arrived)) };
  for (const name of ['list', 'paginate', 'readEntities']) phases[`arrival to ${name}`] = median(requests.map((r) => (r.marks[name] ?? NaN) - r.arrived));
  phases['arrival to first statement'] = median(requests.map((r) => r.statements[0].sent - r.arrived));
  phases['first statement'] = median(requests.map((r) => r.statements[0].done! - r.statements[0].sent));
  phases['first result to second statement'] = median(requests.map((r) => r.statements[1].sent - r.statements[0].done!));
  phases['second statement to last result'] = median(requests.map((r) => lastDone(r) - r.statements[1].sent));
  phases['last result to response head'] = median(requests.map((r) => (r.head ?? NaN) - lastDone(r)));
  phases['response head to end'] = median(requests.map((r) => r.end! - (r.head ?? NaN)));
  const dir = join(process.cwd(), '.vigil', 'latency');
  mkdirSync(dir, { recursive: true });
  writeFileSync(join(dir, `phases-${process.pid}.json`), JSON.stringify(phases, null, 1));
});
