import { ChildProcess, fork } from 'node:child_process';
import { openSync, readFileSync, writeFileSync, closeSync } from 'node:fs';
import { resolve } from 'node:path';
import type { ChildReply, ChildRequest, RecordedStatement } from './protocol';

/** What must be undone when the harness ends, however it ends: run last-in first-out. */
class Cleanup {
  private readonly tasks: { name: string; run: () => Promise<void> }[] = [];
  private running: Promise<void> | null = null;

  add(name: string, run: () => Promise<void>): () => void {
    const task = { name, run };
    this.tasks.push(task);
    return () => {
      const i = this.tasks.indexOf(task);
      if (i >= 0) this.tasks.splice(i, 1);
    };
  }

  runAll(log: (line: string) => void): Promise<void> {
    this.running ??= (async () => {
      while (this.tasks.length) {
        const task = this.tasks.pop()!;
        try {
          await task.run();
        } catch (error) {
          log(`cleanup of ${task.name} failed: ${error instanceof Error ? error.message : String(error)}`);
        }
      }
    })();
    return this.running;
  }

  /** Synchronous last resort (process 'exit'): kill what is left. */
  readonly children = new Set<ChildProcess>();
}

export const cleanup = new Cleanup();

/** Runs a harness script's `main`, undoing what it started (cleanup) however it ends; exits 0, or 1
 * with the error logged. */
export function runMain(main: () => Promise<unknown>, log: (line: string) => void = (line) => console.error(line)): void {
  main().then(
    () => cleanup.runAll(log).then(() => process.exit(0)),
    (error: unknown) => {
      log(`failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}`);
      void cleanup.runAll(log).then(() => process.exit(1));
    },
  );
}

export interface Memory {
  /** Resident set size now, in bytes. */
  rss: number;
  /** Peak resident set size since start or the last resetPeak(), in bytes (VmHWM). */
  peak: number;
}

/** /proc reports CPU time in clock ticks: USER_HZ, 100 on Linux. */
const CLOCK_TICKS = 100;

type WithoutId<T> = T extends unknown ? Omit<T, 'id'> : never;

/** A server process forked by the harness, with the statement counter preloaded. */
export class BenchServer {
  private nextId = 1;
  private readonly pending = new Map<number, (reply: ChildReply) => void>();
  private exited: { code: number | null; signal: NodeJS.Signals | null } | null = null;

  constructor(
    readonly name: string,
    readonly child: ChildProcess,
    readonly baseUrl: string,
    readonly logFile: string,
  ) {
    child.on('message', (message: ChildReply) => {
      const done = this.pending.get(message?.id);
      if (done) {
        this.pending.delete(message.id);
        done(message);
      }
    });
    child.on('exit', (code, signal) => {
      this.exited = { code, signal };
      cleanup.children.delete(child);
    });
  }

  get pid(): number {
    return this.child.pid!;
  }

  get hasExited(): boolean {
    return this.exited !== null;
  }

  private ask(request: WithoutId<ChildRequest>): Promise<ChildReply> {
    const id = this.nextId++;
    return new Promise((resolvePromise, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new Error(`${this.name} did not answer the harness`));
      }, 10_000);
      this.pending.set(id, (reply) => {
        clearTimeout(timer);
        resolvePromise(reply);
      });
      this.child.send({ ...request, id } as ChildRequest);
    });
  }

  /** Zeroes the statement count; with `record`, also records each statement with its parameters. */
  async resetStatements(record = false): Promise<void> {
    await this.ask({ type: 'bench:reset', record });
  }

  async statements(): Promise<{ count: number; statements: RecordedStatement[] }> {
    const reply = await this.ask({ type: 'bench:read' });
    if (reply.type !== 'bench:statements') throw new Error(`unexpected reply from ${this.name}`);
    return { count: reply.count, statements: reply.statements };
  }

  memory(): Memory {
    const status = readFileSync(`/proc/${this.pid}/status`, 'utf8');
    const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN) * 1024;
    return { rss: kb('VmRSS'), peak: kb('VmHWM') };
  }

  /** CPU time (user + system, all threads) the process has used so far, seconds. */
  cpuSeconds(): number {
    // Fields after the command name: state is 3rd, utime 14th and stime 15th of the whole line.
    const fields = readFileSync(`/proc/${this.pid}/stat`, 'utf8').split(') ')[1].split(' ');
    return (Number(fields[11]) + Number(fields[12])) / CLOCK_TICKS;
  }

  /** Resets the kernel's peak-RSS mark (VmHWM); false when the kernel refuses. */
  resetPeak(): boolean {
    try {
      writeFileSync(`/proc/${this.pid}/clear_refs`, '5');
      return true;
    } catch {
      return false;
    }
  }

  async stop(): Promise<void> {
    if (this.exited) return;
    const exited = new Promise<void>((done) => this.child.once('exit', () => done()));
    this.child.kill('SIGTERM');
    const timer = setTimeout(() => this.child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  }
}

export interface StartOptions {
  name: string;
  /** The script to run (a .js file). */
  script: string;
  env: Record<string, string>;
  port: number;
  /** GET path that answers 200 once the server is ready. */
  readyPath: string;
  logDir: string;
  execArgv?: string[];
  timeoutMs?: number;
}

const COUNTER = resolve(__dirname, 'statement-counter.js');

/** Forks a server with the statement counter preloaded, waits until it answers, and registers its
 * shutdown with the cleanup. Its output goes to `<logDir>/<name>.log`. */
export async function startServer(options: StartOptions): Promise<BenchServer> {
  const logFile = resolve(options.logDir, `${options.name}.log`);
  const fd = openSync(logFile, 'w');
  const child = fork(options.script, [], {
    env: { ...process.env, ...options.env },
    execArgv: [...(options.execArgv ?? []), '--require', COUNTER],
    stdio: ['ignore', fd, fd, 'ipc'],
  });
  closeSync(fd);
  cleanup.children.add(child);
  const baseUrl = `http://127.0.0.1:${options.port}`;
  const server = new BenchServer(options.name, child, baseUrl, logFile);
  const unregister = cleanup.add(options.name, () => server.stop());
  child.once('exit', unregister);
  const deadline = Date.now() + (options.timeoutMs ?? 120_000);
  for (;;) {
    if (server.hasExited) throw new Error(`${options.name} exited while starting; see ${logFile}`);
    try {
      const response = await fetch(baseUrl + options.readyPath, { signal: AbortSignal.timeout(2000) });
      if (response.ok) return server;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) {
      await server.stop();
      throw new Error(`${options.name} did not answer ${options.readyPath} within ${(options.timeoutMs ?? 120_000) / 1000} s; see ${logFile}`);
    }
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Samples a server's resident memory every `everyMs` while `work` runs; returns the highest sample
 * and the kernel's peak mark over the same time (when it could be reset first). */
export async function withMemorySampling<T>(
  server: BenchServer,
  work: () => Promise<T>,
  everyMs = 20,
): Promise<{ result: T; before: Memory; maxSampledRss: number; peak: number | null }> {
  const before = server.memory();
  const peakReset = server.resetPeak();
  let maxSampledRss = before.rss;
  const timer = setInterval(() => {
    try {
      maxSampledRss = Math.max(maxSampledRss, server.memory().rss);
    } catch {
      // process gone
    }
  }, everyMs);
  try {
    const result = await work();
    const after = server.memory();
    maxSampledRss = Math.max(maxSampledRss, after.rss);
    return { result, before, maxSampledRss, peak: peakReset ? after.peak : null };
  } finally {
    clearInterval(timer);
  }
}
