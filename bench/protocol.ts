/** Messages between the harness and the servers it forks (see statement-counter.ts). */

export interface RecordedStatement {
  text: string;
  values: unknown[];
  /** Statements of one wave were in flight at the same time. */
  wave: number;
}

export type ChildRequest =
  | { type: 'bench:reset'; id: number; record: boolean }
  | { type: 'bench:read'; id: number };

export type ChildReply =
  | { type: 'bench:ok'; id: number }
  | { type: 'bench:statements'; id: number; count: number; statements: RecordedStatement[] };

/** How a forked benchmark server listens (PORT on loopback) and stops (SIGTERM or SIGINT: closes
 * its connections and its pool, then exits). */
export function serveUntilStopped(server: import('node:http').Server, pool: { end(): Promise<void> }): void {
  server.keepAliveTimeout = 65_000;
  server.listen(Number(process.env.PORT), '127.0.0.1');
  const stop = () => {
    server.close(() => void pool.end().then(() => process.exit(0)));
    server.closeAllConnections();
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}
