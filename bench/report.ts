import type { Results, Target } from './run';
import { importGoalLine } from './import';

/** Goals of issue 7. */
export const GOALS = {
  /** Vigil's requests per second over PostGraphile's, at least. */
  rpsVersusPostGraphile: 1,
  /** Vigil's p50 latency over the direct SQL's, at most. */
  p50VersusDirect: 1.5,
  /** Vigil's export rows per second over COPY's, at least. */
  exportVersusCopy: 0.5,
  /** Peak resident memory of the service during a million-row export, MB. */
  exportPeakMB: 200,
  /** An anonymous search's p50 with hidden matches over without, at most (issue 14, class 4). */
  hiddenRowsRatio: 1.1,
};

const NAMES: Record<Target, string> = { vigil: 'Vigil', postgraphile: 'PostGraphile 4', direct: 'direct SQL (pg)' };

const ratio = (a: number | undefined, b: number | undefined) => (a && b ? Math.round((a / b) * 100) / 100 : NaN);
const mark = (ok: boolean) => (ok ? 'met' : '**not met**');
const cell = (n: number | undefined | null, unit = '') => (n === undefined || n === null || Number.isNaN(n) ? 'n/a' : `${n}${unit}`);

/** The run as markdown: ratios against the goals first, then the figures they come from. */
export function markdownReport(r: Results): string {
  const o = r.options;
  const lines: string[] = [];
  lines.push(`# Benchmark run ${r.startedAt.slice(0, 16).replace('T', ' ')} UTC: ${r.database.incidents.toLocaleString('en')} incidents`);
  lines.push('');
  lines.push(
    `Commit ${r.commit}; ${r.machine.cpus} cores, ${r.machine.memoryGB} GB, Node ${r.machine.node}, PostgreSQL ${r.database.postgres} ` +
      `(${r.database.origin}, seed ${r.database.seed}). Load: ${o.connections} connections for ${o.duration} s after a ${o.warmup} s warm-up, ` +
      `then 1 connection for ${o.latencyDuration} s. Load average ${r.machine.loadAverageStart.join(' / ')} at the start, ` +
      `${r.machine.loadAverageEnd.join(' / ')} at the end (other work shares the machine: compare only figures of the same run). ` +
      `Wall time ${Math.floor(r.wallSeconds / 60)} min ${r.wallSeconds % 60} s.`,
  );
  lines.push('');
  lines.push('## Against the goals');
  lines.push('');
  lines.push('| Read | Vigil / PostGraphile req/s (goal ≥ 1) | Vigil / direct SQL p50, 1 connection (goal ≤ 1.5) | Vigil / direct SQL p50, loaded | Same data as PostGraphile |');
  lines.push('|---|---|---|---|---|');
  for (const read of r.reads) {
    const v = read.load.vigil;
    const p = read.load.postgraphile;
    const d = read.load.direct;
    const rps = ratio(v?.loaded.rps, p?.loaded.rps);
    const p50 = ratio(v?.single.p50, d?.single.p50);
    const p50Loaded = ratio(v?.loaded.p50, d?.loaded.p50);
    // A server that finished no request under load (each took longer than the run) has no ratio.
    const rpsCell =
      p?.loaded.rps === 0 && (v?.loaded.rps ?? 0) > 0
        ? `PostGraphile finished none in ${o.duration} s, Vigil ${v!.loaded.rps} req/s (met)`
        : `${cell(rps)} (${mark(rps >= GOALS.rpsVersusPostGraphile)})`;
    lines.push(
      `| ${read.name} | ${rpsCell} | ${cell(p50)} (${mark(p50 <= GOALS.p50VersusDirect)}) | ` +
        `${cell(p50Loaded)} | ${read.sameData ? 'yes' : `**no**: ${read.difference}`} |`,
    );
  }
  const e = r.export;
  if (e?.available && e.vigil) {
    const limit = e.copySameStatement ?? e.copyPlainColumns;
    const rows = ratio(e.vigil.rowsPerSecond, limit?.rowsPerSecond);
    lines.push('');
    lines.push(
      `CSV export: ${cell(rows)} of COPY's rows per second (goal ≥ ${GOALS.exportVersusCopy}: ${mark(rows >= GOALS.exportVersusCopy)}); ` +
        `peak resident memory ${e.vigil.peakRssMB} MB for ${e.vigil.rows.toLocaleString('en')} rows ` +
        `(goal < ${GOALS.exportPeakMB} MB for a million rows: ${e.vigil.rows >= 1_000_000 ? mark(e.vigil.peakRssMB < GOALS.exportPeakMB) : 'this run has fewer rows'}).`,
    );
  } else if (e) {
    lines.push('');
    lines.push(`CSV export: **not available** (${e.reason}).`);
  }
  const h = r.hiddenRows;
  if (h) {
    lines.push('');
    lines.push(
      `Hidden rows: an anonymous search that ${h.hiddenMatches.toLocaleString('en')} CONFIDENTIAL incidents match took ${h.p50Ratio} times ` +
        `the p50 of one that none match (goal ≤ ${GOALS.hiddenRowsRatio}: ${mark(h.p50Ratio <= GOALS.hiddenRowsRatio)}); both answer the same ` +
        `${h.visibleMatches} incidents. p50 ${h.withHidden.p50} ms against ${h.withoutHidden.p50} ms, mean ${h.withHidden.mean} against ` +
        `${h.withoutHidden.mean} ms (ratio ${h.meanRatio}), ${h.withHidden.requests} and ${h.withoutHidden.requests} requests at 1 connection` +
        `${h.withHidden.failures + h.withoutHidden.failures ? `, **${h.withHidden.failures + h.withoutHidden.failures} failed**` : ''}.`,
    );
  }
  if (r.import) {
    lines.push('');
    lines.push(importGoalLine(r.import));
  }
  lines.push('');
  lines.push('## GraphQL reads');
  lines.push('');
  for (const read of r.reads) {
    lines.push(`**${read.name}**: ${read.title}`);
    lines.push('');
    lines.push(
      `| Server | req/s (${o.connections} conn.) | p50 ms | p99 ms | p50 ms (1 conn.) | p99 ms (1 conn.) | server CPU ms per request | ms in PostgreSQL per request | statements per request |`,
    );
    lines.push('|---|---|---|---|---|---|---|---|---|');
    for (const target of ['vigil', 'postgraphile', 'direct'] as Target[]) {
      const f = read.load[target];
      if (!f) continue;
      const statements = Object.entries(read.statements[target]).map(([k, v]) => (k === 'all' ? `${v}` : `${v} (${k})`)).join(', ');
      const failures = f.loaded.failures + f.single.failures;
      lines.push(
        `| ${NAMES[target]} | ${f.loaded.rps} | ${f.loaded.p50} | ${f.loaded.p99} | ${f.single.p50} | ${f.single.p99} | ` +
          `${f.loaded.serverCpuMsPerRequest} | ${cell(f.database?.msPerRequest)} | ${statements}${failures ? ` — ${failures} failed requests` : ''} |`,
      );
    }
    lines.push('');
  }
  lines.push('## SQL statements per request');
  lines.push('');
  lines.push('Counted in the server process (every `pg` query call), one request at a time. The direct-SQL server sends the statements Vigil sent.');
  lines.push('');
  lines.push('| Read | Vigil | PostGraphile | Independent of page size (Vigil) |');
  lines.push('|---|---|---|---|');
  for (const read of r.reads) {
    const show = (t: Target) => Object.entries(read.statements[t]).map(([k, v]) => (k === 'all' ? `${v}` : `${v} at ${k}`)).join(', ');
    const counts = Object.values(read.statements.vigil);
    lines.push(`| ${read.name} | ${show('vigil')} | ${show('postgraphile')} | ${counts.length > 1 ? (new Set(counts).size === 1 ? 'yes' : `no: ${read.statementNote ?? ''}`) : 'no page'} |`);
  }
  if (e) {
    lines.push('');
    lines.push('## CSV export');
    lines.push('');
    if (e.available && e.vigil) {
      lines.push('| | rows | seconds | rows/s | MB | peak RSS MB |');
      lines.push('|---|---|---|---|---|---|');
      lines.push(`| Vigil ${e.vigil.what} | ${e.vigil.rows} | ${e.vigil.seconds} | ${e.vigil.rowsPerSecond} | ${e.vigil.megabytes} | ${e.vigil.peakRssMB} (${e.vigil.peakMeasuredBy}; ${e.vigil.rssBeforeMB} before) |`);
      for (const c of [e.copySameStatement, e.copyPlainColumns]) {
        if (c) lines.push(`| ${c.what} | ${c.rows} | ${c.seconds} | ${c.rowsPerSecond} | ${c.megabytes} | |`);
      }
      if (e.copyPlainColumns?.missing.length) {
        lines.push('');
        lines.push(`Columns of the export that are not incident columns (computed or joined; left out of the plain COPY): ${e.copyPlainColumns.missing.join(', ')}.`);
      }
      lines.push('');
      lines.push(`Statements sent by the export: ${e.vigil.statements}.`);
    } else {
      lines.push(`Not available: ${e.reason}. Re-run \`npm run bench\` once \`GET /exports/incidents.csv\` answers.`);
    }
  }
  lines.push('');
  lines.push('## Where the time goes in PostgreSQL (Vigil, top statements by total time during the load)');
  lines.push('');
  for (const read of r.reads) {
    const db = read.load.vigil?.database;
    if (!db) continue;
    lines.push(`**${read.name}**: ${db.msPerRequest} ms per request in PostgreSQL`);
    lines.push('');
    lines.push('| calls | mean ms | rows/call | statement |');
    lines.push('|---|---|---|---|');
    for (const s of db.top.slice(0, 5)) lines.push(`| ${s.calls} | ${s.meanMs} | ${s.rowsPerCall} | \`${s.query.slice(0, 140).replace(/\|/g, '\\|')}\` |`);
    lines.push('');
  }
  return `${lines.join('\n')}\n`;
}
