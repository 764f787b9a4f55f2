import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { CsvError, parse, Parser } from 'csv-parse';

/** A cell as read: null for an empty unquoted cell (how PostgreSQL writes NULL), a string
 * otherwise (a quoted empty cell, "", is the empty text). */
export type Cell = string | null;

export interface CsvRecord {
  /** The line the record starts on (1 is the header). */
  line: number;
  cells: Cell[];
  /** Bytes of the file read so far, for progress. */
  bytes: number;
}

/** The file is not CSV that can be read on (an unclosed quote...): `line` is where it stopped. */
export class CsvSyntaxError extends Error {
  constructor(
    readonly line: number | null,
    readonly code: string,
  ) {
    super(`not valid CSV (${code})`);
  }
}

function parser(): Parser {
  return parse({
    // An Excel "CSV UTF-8" file starts with a byte order mark.
    bom: true,
    info: true,
    raw: true,
    // A row with too few or too many cells is reported with its line, not the end of the file.
    relax_column_count: true,
    skip_empty_lines: true,
  });
}

/** Which fields of a record's raw text were quoted: csv-parse reads `""` and an empty field alike
 * as ''. (Its `cast` option tells them apart, but builds an info object per cell: half the
 * import's parsing time.) Only asked for records that have an empty cell. */
function quotedFields(raw: string): boolean[] {
  const quoted: boolean[] = [];
  let i = 0;
  // Blank lines skipped before the record are part of its raw text.
  while (raw[i] === '\n' || raw[i] === '\r') i++;
  for (;;) {
    if (raw[i] === '"') {
      quoted.push(true);
      for (i++; i < raw.length; i++) {
        if (raw[i] === '"') {
          if (raw[i + 1] === '"') i++;
          else break;
        }
      }
      i++;
    } else {
      quoted.push(false);
    }
    while (i < raw.length && raw[i] !== ',' && raw[i] !== '\n' && raw[i] !== '\r') i++;
    if (raw[i] !== ',') return quoted;
    i++;
  }
}

/** A record's cells: an empty unquoted cell is null, a quoted one (`""`) the empty text. */
function cellsOf(parsed: Parsed): Cell[] {
  const cells: Cell[] = parsed.record;
  if (!cells.includes('')) return cells;
  const quoted = quotedFields(parsed.raw);
  return cells.map((cell, k) => (cell === '' && !quoted[k] ? null : cell));
}

interface Parsed {
  record: string[];
  raw: string;
  info: { lines: number; bytes: number };
}

/** The first line of a record that may span several (quoted line breaks): csv-parse counts lines
 * up to the record's end, and the only line breaks inside a record are inside its cells. */
function startLine(parsed: Parsed): number {
  let breaks = 0;
  for (const cell of parsed.record) {
    for (let at = cell.indexOf('\n'); at !== -1; at = cell.indexOf('\n', at + 1)) breaks++;
  }
  return parsed.info.lines - breaks;
}

/** Reads `path` record by record, with constant memory. */
export async function* readCsv(path: string): AsyncGenerator<CsvRecord> {
  const stream = createReadStream(path).pipe(parser());
  try {
    for await (const parsed of stream as AsyncIterable<Parsed>) {
      yield { line: startLine(parsed), cells: cellsOf(parsed), bytes: parsed.info.bytes };
    }
  } catch (error) {
    if (error instanceof CsvError) throw new CsvSyntaxError((error as CsvError & { lines?: number }).lines ?? null, error.code);
    throw error;
  } finally {
    stream.destroy();
  }
}

/** The header of `path` (its first record), or null when the file is empty. */
export async function readHeader(path: string): Promise<Cell[] | null> {
  for await (const record of readCsv(path)) return record.cells;
  return null;
}

export async function fileSize(path: string): Promise<number> {
  return (await stat(path)).size;
}
