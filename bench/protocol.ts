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
