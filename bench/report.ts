import type { Results, Target } from './run';
import { ImportFigures, importGoalLine } from './import';

/** Goals of issue 18 (those of issues 7 and 14 where it keeps them). */
export const GOALS = {
  /** page: Vigil's requests per second over PostGraphile 5's and over PostGraphile 4's, at least. */
  pageRpsVersusPostGraphile5: 1,
  pageRpsVersusPostGraphile4: 1.5,
  /** page: Vigil's p50 at one connection over the direct SQL's, at most. */
  pageP50VersusDirect: 1.25,
  /** page: Vigil's requests per second over the direct SQL's under load, at least. */
  pageRpsVersusDirect: 0.7,
  /** monthly and search: requests per second over PostGraphile 5's, at least. */
  rpsVersusPostGraphile5: 1,
  /** monthly and search: p50 at one connection over the direct SQL's, at most. */
  p50VersusDirect: 1.2,
  /** At a million incidents: p50 at one connection, ms, at most. */
  searchP50MsAt1M: 100,
  monthlyP50MsAt1M: 100,
  timelineP50MsAt1M: 200,
  /** Vigil's export rows per second over COPY's, at least. */
  exportVersusCopy: 0.9,
  /** Peak resident memory of the service during a million-row export, MB. */
  exportPeakMB: 200,
  /** The bulk import: rows per second end to end, at least, and peak resident memory, MB. */
  importRowsPerSecond: 2000,
  importPeakMB: 300,
  importRows: 100_000,
  /** An anonymous search's p50 with hidden matches over without, at most (issue 14, class 4). */
  hiddenRowsRatio: 1.1,
};

export const NAMES: Record<Target, string> = {
  vigil: 'Vigil',
  postgraphile5: 'PostGraphile 5',
  postgraphile4: 'PostGraphile 4',
  direct: 'direct SQL (pg)',
};

const MILLION = 1_000_000;

const ratio = (a: number | undefined, b: number | undefined) => (a && b ? Math.round((a / b) * 100) / 100 : NaN);
const cell = (n: number | undefined | null, unit = '') => (n === undefined || n === null || Number.isNaN(n) ? 'n/a' : `${n}${unit}`);
const times = (n: number) => cell(n, '×');

/** A goal's verdict: met, not met, n/a (not measured), or not applicable to this run's size. */
function verdict(value: number, ok: (v: number) => boolean): string {
  if (Number.isNaN(value)) return 'n/a';
  return ok(value) ? 'met' : '**not met**';
}

/** The run as markdown: ratios against the goals first, then the figures they come from. */
export function markdownReport(r: Results): string {
  const o = r.options;
  const lines: string[] = [];
  const atMillion = r.database.incidents >= MILLION;
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
  lines.push('## Against the goals (issue 18)');
  lines.push('');
  lines.push(
    `Ratios are Vigil's figure over the other server's, in this run. Rows marked 1M are goals at a million incidents` +
      `${atMillion ? '' : ` (this run has ${r.database.incidents.toLocaleString('en')}: the figure is shown, the goal is judged at 1M)`}.`,
  );
  lines.push('');
  lines.push('| Read | Goal | This run | |');
  lines.push('|---|---|---|---|');
  const row = (read: string, goal: string, figure: string, result: string) => lines.push(`| ${read} | ${goal} | ${figure} | ${result} |`);
  const readOf = (name: string) => r.reads.find((x) => x.name === name);
  for (const read of r.reads) {
    const v = read.load.vigil;
    const p5 = read.load.postgraphile5;
    const p4 = read.load.postgraphile4;
    const d = read.load.direct;
    const page = read.name === 'page';
    // A server that finished no request under load (each took longer than the run) has no ratio.
    const versus = (other: typeof p5, name: string, goal: number) => {
      if (other?.loaded.rps === 0 && (v?.loaded.rps ?? 0) > 0) {
        row(read.name, `≥ ${goal}× ${name} req/s`, `${name} finished none in ${o.duration} s, Vigil ${v!.loaded.rps} req/s`, 'met');
        return;
      }
      const x = ratio(v?.loaded.rps, other?.loaded.rps);
      row(read.name, `≥ ${goal}× ${name} req/s`, `${times(x)} (${cell(v?.loaded.rps)} / ${cell(other?.loaded.rps)})`, verdict(x, (n) => n >= goal));
    };
    versus(p5, NAMES.postgraphile5, page ? GOALS.pageRpsVersusPostGraphile5 : GOALS.rpsVersusPostGraphile5);
    if (page) versus(p4, NAMES.postgraphile4, GOALS.pageRpsVersusPostGraphile4);
    const p50 = ratio(v?.single.p50, d?.single.p50);
    const p50Goal = page ? GOALS.pageP50VersusDirect : GOALS.p50VersusDirect;
    row(read.name, `p50 ≤ ${p50Goal}× direct SQL, 1 connection`, `${times(p50)} (${cell(v?.single.p50)} / ${cell(d?.single.p50)} ms)`, verdict(p50, (n) => n <= p50Goal));
    if (page) {
      const rps = ratio(v?.loaded.rps, d?.loaded.rps);
      row(read.name, `≥ ${GOALS.pageRpsVersusDirect}× direct SQL req/s`, `${times(rps)} (${cell(v?.loaded.rps)} / ${cell(d?.loaded.rps)})`, verdict(rps, (n) => n >= GOALS.pageRpsVersusDirect));
    }
    const same = (['postgraphile5', 'postgraphile4'] as const).map((t) => (read.sameData[t] ? `${NAMES[t]} yes` : `${NAMES[t]} **no**: ${read.difference[t]}`));
    row(read.name, 'same data as PostGraphile (checked first)', same.join('; '), (['postgraphile5', 'postgraphile4'] as const).every((t) => read.sameData[t]) ? 'yes' : '**no**');
  }
  // The goals at a million incidents: p50 at one connection.
  const at1M = (read: string, goal: string, p50: number | undefined, limit: number) =>
    row(`${read}, 1M`, goal, `p50 ${cell(p50, ' ms')}`, atMillion ? verdict(p50 ?? NaN, (n) => n <= limit) : `${r.database.incidents.toLocaleString('en')} incidents: judged at 1M`);
  for (const read of r.reads.filter((x) => x.name.startsWith('search'))) {
    at1M(read.name, `first page of 50 ranked, p50 ≤ ${GOALS.searchP50MsAt1M} ms, 1 connection`, read.load.vigil?.single.p50, GOALS.searchP50MsAt1M);
  }
  const monthly = readOf('monthly');
  if (monthly) at1M('monthly RU', `p50 ≤ ${GOALS.monthlyP50MsAt1M} ms, 1 connection`, monthly.load.vigil?.single.p50, GOALS.monthlyP50MsAt1M);
  const t = r.timeline;
  if (t) {
    at1M('timeline (GraphQL)', `p50 ≤ ${GOALS.timelineP50MsAt1M} ms, 1 connection`, t.load.graphql.single.p50, GOALS.timelineP50MsAt1M);
    at1M('timeline (/exports/timeline.json)', `p50 ≤ ${GOALS.timelineP50MsAt1M} ms, 1 connection`, t.load.export.single.p50, GOALS.timelineP50MsAt1M);
  } else {
    row('timeline, 1M', `p50 ≤ ${GOALS.timelineP50MsAt1M} ms (GraphQL and export)`, 'not measured in this run', 'n/a');
  }
  const e = r.export;
  if (e?.available && e.vigil) {
    const limit = e.copySameStatement ?? e.copyPlainColumns;
    const rows = ratio(e.vigil.rowsPerSecond, limit?.rowsPerSecond);
    const million = e.vigil.rows >= MILLION;
    row('CSV export, 1M', `≥ ${GOALS.exportVersusCopy}× COPY rows/s`, `${times(rows)} (${e.vigil.rows.toLocaleString('en')} rows)`, verdict(rows, (n) => n >= GOALS.exportVersusCopy));
    row(
      'CSV export, 1M',
      `peak RSS < ${GOALS.exportPeakMB} MB`,
      `${e.vigil.peakRssMB} MB`,
      million ? verdict(e.vigil.peakRssMB, (n) => n < GOALS.exportPeakMB) : 'fewer than a million rows: judged at 1M',
    );
  } else {
    row('CSV export, 1M', `≥ ${GOALS.exportVersusCopy}× COPY rows/s, peak RSS < ${GOALS.exportPeakMB} MB`, e ? `not available: ${e.reason}` : 'not measured in this run', 'n/a');
  }
  const imp = r.import;
  const importGoal = `${GOALS.importRows.toLocaleString('en')} incidents with citations: ≥ ${GOALS.importRowsPerSecond.toLocaleString('en')} rows/s, peak RSS < ${GOALS.importPeakMB} MB`;
  if (imp) {
    const ok = imp.incidents >= GOALS.importRows && imp.rowsPerSecond >= GOALS.importRowsPerSecond && imp.peakRssMb < GOALS.importPeakMB;
    row(
      'import',
      importGoal,
      `${imp.incidents.toLocaleString('en')} incidents, ${imp.rows.toLocaleString('en')} rows in ${imp.seconds} s: ${imp.rowsPerSecond} rows/s, peak RSS ${imp.peakRssMb} MB`,
      ok ? 'met' : '**not met**',
    );
  } else {
    row('import', importGoal, 'n/a (the import step did not run)', 'n/a');
  }
  const h = r.hiddenRows;
  if (h) {
    row(
      'hidden rows',
      `search with ${h.hiddenMatches.toLocaleString('en')} hidden matches / none: p50 ratio ≤ ${GOALS.hiddenRowsRatio}`,
      `${cell(h.p50Ratio)} (${cell(h.withHidden.p50)} / ${cell(h.withoutHidden.p50)} ms; means ${Number.isFinite(h.meanRatio) ? h.meanRatio : 'n/a'})`,
      verdict(h.p50Ratio, (n) => n <= GOALS.hiddenRowsRatio),
    );
  } else {
    row('hidden rows', `p50 ratio ≤ ${GOALS.hiddenRowsRatio}`, 'not measured in this run', 'n/a');
  }
  if (e && !(e.available && e.vigil)) {
    lines.push('');
    lines.push(`CSV export: **not available** (${e.reason}).`);
  }
  if (h) {
    lines.push('');
    lines.push(
      `Hidden rows: an anonymous search that ${h.hiddenMatches.toLocaleString('en')} CONFIDENTIAL incidents match against one that none match; both answer the same ` +
        `${h.visibleMatches} incidents. p50 ${h.withHidden.p50} ms against ${h.withoutHidden.p50} ms, mean ${h.withHidden.mean} against ` +
        `${h.withoutHidden.mean} ms, ${h.withHidden.requests} and ${h.withoutHidden.requests} requests at 1 connection` +
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
    for (const target of ['vigil', 'postgraphile5', 'postgraphile4', 'direct'] as Target[]) {
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
  if (t) {
    lines.push('## Timeline');
    lines.push('');
    lines.push(
      `**timeline**: ${t.title}: ${t.entries.toLocaleString('en')} entries. GraphQL: \`timeline(filter, first: ${t.graphqlPageSize})\` with each entry's ` +
        `record, description and cited sources; export: \`GET /exports/timeline.json\` with the same filter, every entry. Anonymous. ` +
        `Same data (the GraphQL page is the export's first entries, and both count the same): ${t.sameData ? 'yes' : `**no**: ${t.difference}`}.`,
    );
    lines.push('');
    lines.push('| Vigil | connections | req/s | p50 ms | p99 ms | p50 ms (1 conn.) | p99 ms (1 conn.) | server CPU ms per request | statements per request |');
    lines.push('|---|---|---|---|---|---|---|---|---|');
    for (const target of ['graphql', 'export'] as const) {
      const { loaded, single } = t.load[target];
      const failures = loaded.failures + single.failures;
      lines.push(
        `| ${target === 'graphql' ? 'GraphQL `timeline`' : '`/exports/timeline.json`'} | ${t.connections[target]} | ${loaded.rps} | ${loaded.p50} | ${loaded.p99} | ` +
          `${single.p50} | ${single.p99} | ${loaded.serverCpuMsPerRequest} | ${t.statements[target]}${failures ? ` — ${failures} failed requests` : ''} |`,
      );
    }
    lines.push('');
    lines.push(`The export is loaded at ${t.connections.export} connections, fewer than one caller's export slots: more would measure the refusals.`);
    lines.push('');
  }
  lines.push('## SQL statements per request');
  lines.push('');
  lines.push('Counted in the server process (every `pg` query call), one request at a time. The direct-SQL server sends the statements Vigil sent.');
  lines.push('');
  lines.push('| Read | Vigil | PostGraphile 5 | PostGraphile 4 | Independent of page size (Vigil) |');
  lines.push('|---|---|---|---|---|');
  for (const read of r.reads) {
    const show = (t: Target) => Object.entries(read.statements[t]).map(([k, v]) => (k === 'all' ? `${v}` : `${v} at ${k}`)).join(', ');
    const counts = Object.values(read.statements.vigil);
    lines.push(`| ${read.name} | ${show('vigil')} | ${show('postgraphile5')} | ${show('postgraphile4')} | ${counts.length > 1 ? (new Set(counts).size === 1 ? 'yes' : `no: ${read.statementNote ?? ''}`) : 'no page'} |`);
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
