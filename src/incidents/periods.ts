/** The year and the month an incident is counted in by incidentStats, and written in the CSV
 * exports' `year` and `month`: a period only when the whole date span lies in it (precision
 * honoured: "2017-04" is in April 2017; "2017-12/2018-01" is in no one year). One SQL for both, so
 * per-year counts from the CSV agree with the aggregates. Over the incident alias `i`. */
export const YEAR_SQL = "CASE WHEN date_trunc('year', i.date_start) = date_trunc('year', i.date_latest::timestamp) THEN extract(year FROM i.date_start)::int END";
export const MONTH_SQL = "CASE WHEN date_trunc('month', i.date_start) = date_trunc('month', i.date_latest::timestamp) THEN to_char(i.date_start, 'YYYY-MM') END";
