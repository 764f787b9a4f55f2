/** The rollup behind incidentStats (migration IncidentStatsRollup; docs/research.md, "How the
 * aggregates are computed"): `incident_stats_rollup` (sums per region, year, month, kind, level and
 * deletion) and `incident_response_stats` (one row per live answering link), kept current in every
 * writing transaction by statement-level triggers on these tables. */
export const STATS_ROLLUP_TRIGGERS: readonly { table: string; name: string }[] = [
  ...['insert', 'update', 'delete'].flatMap((event) => [
    { table: 'incident', name: `incident_stats_rollup_${event}` },
    { table: 'response_incident', name: `incident_response_stats_${event}` },
  ]),
  { table: 'incident', name: 'incident_response_stats_incident' },
  { table: 'advocacy_response', name: 'incident_response_stats_response' },
];

/** Fills the rollup from the tables: after a bulk load that ran with the triggers off. */
export const REBUILD_STATS_ROLLUP_SQL = 'SELECT incident_stats_rebuild()';
