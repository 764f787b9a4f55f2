import autocannon from 'autocannon';
import { round } from './database';

/** One series of timed runs of one request against one server, accumulated over rounds. */
export class Series {
  private readonly times: number[] = [];
  seconds = 0;
  failures = 0;
  /** CPU time of the server process over the runs, seconds (when measured). */
  cpuSeconds = 0;

  constructor(readonly connections: number) {}

  add(run: RunResult, cpuSeconds: number): void {
    for (const t of run.times) this.times.push(t);
    this.seconds += run.seconds;
    this.failures += run.failures;
    this.cpuSeconds += cpuSeconds;
  }

  get requests(): number {
    return this.times.length;
  }

  figures(): LoadFigures {
    const sorted = [...this.times].sort((a, b) => a - b);
    const at = (q: number) => (sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] : NaN);
    return {
      connections: this.connections,
      seconds: round(this.seconds, 2),
      requests: sorted.length,
      rps: round(sorted.length / this.seconds, 1),
      p50: round(at(0.5), 1),
      p90: round(at(0.9), 1),
      p99: round(at(0.99), 1),
      mean: round(sorted.reduce((a, b) => a + b, 0) / Math.max(1, sorted.length), 1),
      failures: this.failures,
      serverCpuMsPerRequest: round((this.cpuSeconds * 1000) / Math.max(1, sorted.length), 2),
    };
  }
}

export interface LoadFigures {
  connections: number;
  seconds: number;
  requests: number;
  /** Completed requests per second. */
  rps: number;
  /** Latency percentiles and mean over every request of every round, ms. */
  p50: number;
  p90: number;
  p99: number;
  mean: number;
  /** Non-2xx answers, connection errors and timeouts: any of them makes the figures suspect. */
  failures: number;
  /** CPU time the server process spent per request (user + system): what a request costs it,
   * hardly affected by other work on the machine, unlike the latencies. */
  serverCpuMsPerRequest: number;
}

export interface LoadTarget {
  url: string;
  /** The JSON body to POST (the same every time); none for a GET. */
  body?: string;
  /** Sent with every request (an export's bearer token...). */
  headers?: Record<string, string>;
}

export interface RunResult {
  /** Latency of every completed request, ms. */
  times: number[];
  seconds: number;
  failures: number;
}

/** Runs autocannon for `seconds` at `connections`, keeping every response time. */
export function run(target: LoadTarget, connections: number, seconds: number): Promise<RunResult> {
  const times: number[] = [];
  return new Promise((done, fail) => {
    const instance = autocannon(
      {
        url: target.url,
        ...(target.body === undefined
          ? { method: 'GET' as const, headers: target.headers ?? {} }
          : { method: 'POST' as const, headers: { 'content-type': 'application/json', ...target.headers }, body: target.body }),
        connections,
        pipelining: 1,
        duration: seconds,
        timeout: 60,
      },
      (error, result) => {
        if (error) fail(error);
        else done({ times, seconds: result.duration, failures: result.non2xx + result.errors + result.timeouts });
      },
    );
    instance.on('response', (_client: unknown, statusCode: number, _bytes: number, responseTime: number) => {
      if (statusCode >= 200 && statusCode < 300) times.push(responseTime);
    });
  });
}
