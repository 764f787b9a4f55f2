/* Preloaded (`node --require`) into every server the benchmark starts. It counts the SQL statements
 * the process sends through `pg`, and on request records them with their parameters, grouped in
 * waves (statements sent while others were still running belong to the same wave), so that the
 * direct-SQL server can replay exactly what Vigil ran. The harness talks to it over the IPC
 * channel of `child_process.fork`. Cost when not recording: one counter increment per statement. */
import { Client } from 'pg';
import type { ChildReply, ChildRequest, RecordedStatement } from './protocol';

let count = 0;
let recording = false;
let inFlight = 0;
let wave = -1;
const recorded: RecordedStatement[] = [];

type QueryFn = (this: Client, ...args: unknown[]) => unknown;
const original = Client.prototype.query as unknown as QueryFn;

function describe(args: unknown[]): { text: string; values: unknown[] } {
  const [first, second] = args;
  if (typeof first === 'string') return { text: first, values: Array.isArray(second) ? second : [] };
  // A query config, a COPY stream (pg-copy-streams: `text`) or a cursor (pg-query-stream: `cursor`).
  const config = first as { text?: string; values?: unknown[]; cursor?: { text?: string; values?: unknown[] } };
  if (config && typeof config.text === 'string') return { text: config.text, values: config.values ?? (Array.isArray(second) ? second : []) };
  if (config?.cursor && typeof config.cursor.text === 'string') return { text: config.cursor.text, values: config.cursor.values ?? [] };
  return { text: `<${(config as object)?.constructor?.name ?? 'query'}>`, values: [] };
}

function settle<T>(result: T): T {
  const done = () => {
    inFlight--;
  };
  if (result && typeof (result as { then?: unknown }).then === 'function') {
    (result as unknown as Promise<unknown>).then(done, done);
  } else if (result && typeof (result as { once?: unknown }).once === 'function') {
    // A Submittable (cursor, COPY stream): done when it ends or fails.
    const emitter = result as unknown as NodeJS.EventEmitter;
    let settled = false;
    const once = () => {
      if (!settled) {
        settled = true;
        done();
      }
    };
    emitter.once('end', once);
    emitter.once('finish', once);
    emitter.once('error', once);
  } else {
    done();
  }
  return result;
}

(Client.prototype as unknown as { query: QueryFn }).query = function (this: Client, ...args: unknown[]) {
  count++;
  if (inFlight === 0) wave++;
  inFlight++;
  if (recording) recorded.push({ ...describe(args), wave });
  const last = args.at(-1);
  if (typeof last === 'function') {
    // Callback style: count the statement done when the callback runs.
    args[args.length - 1] = (...cbArgs: unknown[]) => {
      inFlight--;
      return (last as (...a: unknown[]) => unknown)(...cbArgs);
    };
    return original.apply(this, args);
  }
  return settle(original.apply(this, args));
};

function reply(message: ChildReply): void {
  process.send?.(message);
}

process.on('message', (message: ChildRequest) => {
  if (message?.type === 'bench:reset') {
    count = 0;
    wave = -1;
    recorded.length = 0;
    recording = message.record;
    reply({ type: 'bench:ok', id: message.id });
  } else if (message?.type === 'bench:read') {
    reply({ type: 'bench:statements', id: message.id, count, statements: recording ? recorded.slice() : [] });
  }
});

// The harness went away (crash, kill -9): do not outlive it.
process.on('disconnect', () => process.kill(process.pid, 'SIGTERM'));
