import { get } from 'node:http';
import { Client } from 'pg';
import { to as copyTo } from 'pg-copy-streams';
import { round } from './database';
import { BenchServer, withMemorySampling } from './processes';

export const EXPORT_PATH = '/exports/incidents.csv';

/** Counts CSV records as they stream by (a newline inside a quoted field is not a record end) and
 * keeps the header line. Cheap enough not to slow either side down. */
class CsvCounter {
  records = 0;
  bytes = 0;
  private quoted = false;
  private headerBytes: number[] | null = [];

  feed(chunk: Buffer): void {
    this.bytes += chunk.length;
    let quoted = this.quoted;
    let records = this.records;
    for (let i = 0; i < chunk.length; i++) {
      const c = chunk[i];
      if (this.headerBytes && records === 0 && this.headerBytes.length < 65536) this.headerBytes.push(c);
      if (c === 0x22) quoted = !quoted;
      else if (c === 0x0a && !quoted) records++;
    }
    this.quoted = quoted;
    this.records = records;
  }

  get header(): string[] {
    const text = Buffer.from(this.headerBytes ?? []).toString('utf8').replace(/^\uFEFF/, '').trim();
    return text ? text.split(',').map((h) => h.replace(/^"|"$/g, '')) : [];
  }
}

interface Transfer {
  status: number;
  /** Data records (the header line not counted). */
  rows: number;
  bytes: number;
  seconds: number;
  header: string[];
  body: string;
}

function download(url: string, token: string): Promise<Transfer> {
  return new Promise((done, fail) => {
    const started = process.hrtime.bigint();
    const request = get(url, { headers: { 'accept-encoding': 'identity', authorization: `Bearer ${token}` } }, (response) => {
      const counter = new CsvCounter();
      const status = response.statusCode ?? 0;
      const errorBody: Buffer[] = [];
      response.on('data', (chunk: Buffer) => (status === 200 ? counter.feed(chunk) : errorBody.push(chunk)));
      response.on('end', () => {
        const seconds = Number(process.hrtime.bigint() - started) / 1e9;
        done({
          status,
          rows: Math.max(0, counter.records - 1),
          bytes: counter.bytes,
          seconds,
          header: counter.header,
          body: Buffer.concat(errorBody).toString('utf8').slice(0, 500),
        });
      });
      response.on('error', fail);
    });
    request.on('error', fail);
  });
}

async function copy(databaseUrl: string, statement: string): Promise<Transfer> {
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const counter = new CsvCounter();
    const started = process.hrtime.bigint();
    const stream = client.query(copyTo(statement));
    for await (const chunk of stream) counter.feed(chunk as Buffer);
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    return { status: 200, rows: Math.max(0, counter.records - 1), bytes: counter.bytes, seconds, header: counter.header, body: '' };
  } finally {
    await client.end();
  }
}

export interface CopyFigures {
  what: string;
  rows: number;
  seconds: number;
  rowsPerSecond: number;
  megabytes: number;
}

export interface ExportFigures {
  available: boolean;
  /** Why not, when not available. */
  reason?: string;
  vigil?: CopyFigures & { peakRssMB: number; rssBeforeMB: number; peakMeasuredBy: 'VmHWM' | 'sampled RSS'; statements: number };
  /** COPY of the very statement the export ran, through pg-copy-streams: the limit. */
  copySameStatement?: CopyFigures | null;
  /** COPY of the table's own columns that the export's header names, without the export's joins. */
  copyPlainColumns?: CopyFigures & { columns: string[]; missing: string[] };
  header?: string[];
}

const mb = (bytes: number) => round(bytes / 1024 / 1024, 1);
const figuresOf = (what: string, t: Transfer): CopyFigures => ({
  what,
  rows: t.rows,
  seconds: round(t.seconds, 2),
  rowsPerSecond: Math.round(t.rows / t.seconds),
  megabytes: mb(t.bytes),
});

/** An editor's `GET /exports/incidents.csv?includeDeleted=true` (every incident, a million rows at
 * `--incidents 1000000`) against PostgreSQL's
 * own COPY: rows per second, and the service's peak resident memory during the export. */
export async function measureExport(vigil: BenchServer, databaseUrl: string, log: (line: string) => void, editorToken: string): Promise<ExportFigures> {
  const url = `${vigil.baseUrl}${EXPORT_PATH}?includeDeleted=true`;
  // Warm-up and capture of the statements the export sends.
  await vigil.resetStatements(true);
  const first = await download(url, editorToken);
  if (first.status !== 200) {
    return { available: false, reason: `GET ${EXPORT_PATH} answered HTTP ${first.status}${first.body ? `: ${first.body.replace(/\s+/g, ' ').slice(0, 200)}` : ''}` };
  }
  const captured = await vigil.statements();
  const copyStatement = captured.statements.find((s) => /^\s*COPY\b/i.test(s.text) && s.values.length === 0)?.text ?? null;
  log(`  export: warm-up ${first.rows} rows in ${first.seconds.toFixed(1)} s`);

  await vigil.resetStatements(false);
  const sampled = await withMemorySampling(vigil, () => download(url, editorToken));
  const statements = (await vigil.statements()).count;
  const service = sampled.result;
  if (service.status !== 200) return { available: false, reason: `GET ${EXPORT_PATH} answered HTTP ${service.status} on the second request` };

  const same = copyStatement ? figuresOf('the export\'s own COPY statement', await copy(databaseUrl, copyStatement)) : null;

  // The same-named columns of the incident table, as stored: every incident, as the editor's export.
  const client = new Client({ connectionString: databaseUrl });
  await client.connect();
  let tableColumns: string[];
  try {
    tableColumns = (
      await client.query<{ column_name: string }>(`SELECT column_name FROM information_schema.columns WHERE table_schema = 'public' AND table_name = 'incident'`)
    ).rows.map((r) => r.column_name);
  } finally {
    await client.end();
  }
  const columns = service.header.filter((h) => tableColumns.includes(h));
  const missing = service.header.filter((h) => !tableColumns.includes(h));
  let plain: ExportFigures['copyPlainColumns'];
  if (columns.length) {
    const statement =
      `COPY (SELECT ${columns.map((c) => `i.${c}`).join(', ')} FROM incident i ` +
      `ORDER BY i.date_start DESC, i.id DESC) TO STDOUT WITH (FORMAT csv, HEADER)`;
    plain = { ...figuresOf('COPY of the same-named incident columns, no joins', await copy(databaseUrl, statement)), columns, missing };
  }

  return {
    available: true,
    header: service.header,
    vigil: {
      ...figuresOf('GET /exports/incidents.csv', service),
      peakRssMB: mb(Math.max(sampled.peak ?? 0, sampled.maxSampledRss)),
      rssBeforeMB: mb(sampled.before.rss),
      peakMeasuredBy: sampled.peak !== null ? 'VmHWM' : 'sampled RSS',
      statements,
    },
    copySameStatement: same,
    copyPlainColumns: plain,
  };
}
