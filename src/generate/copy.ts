import { once } from 'node:events';
import { finished } from 'node:stream/promises';
import { PoolClient } from 'pg';
import { from as copyFrom } from 'pg-copy-streams';

/** One column value: null is SQL NULL; booleans become t/f; numbers are written as they print. */
export type Cell = string | number | boolean | null;

/** Rows are sent to PostgreSQL in chunks of about this many characters. */
const CHUNK_CHARS = 1 << 20;

const NEEDS_ESCAPE = /[\\\t\n\r]/;
const ESCAPED: Record<string, string> = { '\\': '\\\\', '\t': '\\t', '\n': '\\n', '\r': '\\r' };

/** A value in COPY's text format. */
export function copyText(cell: Cell): string {
  if (cell === null) return '\\N';
  if (typeof cell === 'string') return NEEDS_ESCAPE.test(cell) ? cell.replace(/[\\\t\n\r]/g, (c) => ESCAPED[c]) : cell;
  if (typeof cell === 'boolean') return cell ? 't' : 'f';
  if (!Number.isFinite(cell)) throw new Error(`Cannot COPY the number ${cell}`);
  return String(cell);
}

/** Streams `rows` into `table` with `COPY ... FROM STDIN`, generating them as PostgreSQL takes
 * them (write back-pressure), so memory stays flat whatever the number of rows. Returns the count. */
export async function copyRows(client: PoolClient, table: string, columns: readonly string[], rows: Iterable<Cell[]>): Promise<number> {
  const stream = client.query(copyFrom(`COPY ${table} (${columns.join(', ')}) FROM STDIN`));
  let failure: unknown = null;
  stream.on('error', (error) => {
    failure = error;
  });
  let chunk = '';
  let count = 0;
  try {
    for (const row of rows) {
      if (row.length !== columns.length) throw new Error(`${table}: a row has ${row.length} values for ${columns.length} columns`);
      let line = copyText(row[0]);
      for (let i = 1; i < row.length; i++) line += `\t${copyText(row[i])}`;
      chunk += `${line}\n`;
      count++;
      if (chunk.length >= CHUNK_CHARS) {
        if (failure) throw failure;
        if (!stream.write(chunk)) await once(stream, 'drain');
        chunk = '';
      }
    }
  } catch (error) {
    // Abort the COPY (CopyFail) and wait for the server, so the connection can roll back.
    if (!failure) {
      stream.destroy(error instanceof Error ? error : new Error(String(error)));
      await finished(stream).catch(() => undefined);
    }
    throw error;
  }
  if (failure) throw failure;
  stream.end(chunk);
  await finished(stream);
  return count;
}
