-- The schema PostGraphile 4 serves in the benchmark: created by the harness in the benchmark
-- database only (never a migration, never in Vigil's own databases), dropped and created again at
-- every run.
--
-- The views are what an anonymous reader may see, by Vigil's record-visibility rule
-- (src/access/record-visibility.ts): PUBLIC and not deleted, and a link or citation only when every
-- record it points at is visible. Sensitive columns (coordinates, internal notes) are left out.
-- Smart comments give the views the keys PostGraphile needs for relations. The functions express
-- the three reads' filters, order and aggregate with the same SQL conditions Vigil builds
-- (src/incidents/incidents.service.ts), so both servers return the same data. updated_at is the
-- anonymous reader's change stamp (src/access/change-stamps.ts), as Vigil serves it to them. The region codes are
-- expanded first (an array built by an InitPlan), as Vigil expands them in a statement of its own:
-- `region_code IN (SELECT ...)` let the planner misjudge the count and scan every incident.
DROP SCHEMA IF EXISTS bench_pg CASCADE;
CREATE SCHEMA bench_pg;

CREATE VIEW bench_pg.incident AS
  SELECT i.id, i.created_at, i.public_updated_at AS updated_at, i.kind, i.headline, i.description, i.date_start, i.date_end, i.date_precision,
         i.date_approximate, i.date_uncertain, i.date_open_end, i.date_as_reported, i.date_latest, i.region_code, i.locality,
         i.location_precision, i.victims_at_least, i.victims_best, i.victims_at_most, i.victims_basis, i.victims_as_reported,
         i.deaths_at_least, i.deaths_best, i.deaths_at_most, i.deaths_basis, i.deaths_as_reported, i.perpetrator_description,
         i.verification_status, i.situation_id, i.search_vector
    FROM public.incident i
   WHERE i.deleted_at IS NULL AND i.confidentiality = 'PUBLIC';
COMMENT ON VIEW bench_pg.incident IS E'@primaryKey id';
COMMENT ON COLUMN bench_pg.incident.search_vector IS E'@omit';

CREATE VIEW bench_pg.source AS
  SELECT s.id, s.created_at, s.kind, s.publisher, s.title, s.author, s.url, s.language, s.reliability, s.published_start,
         s.published_precision
    FROM public.source s
   WHERE s.deleted_at IS NULL AND s.confidentiality = 'PUBLIC';
COMMENT ON VIEW bench_pg.source IS E'@primaryKey id';

CREATE VIEW bench_pg.advocacy_response AS
  SELECT r.id, r.created_at, r.kind, r.title, r.description, r.date_start, r.date_precision, r.region_code, r.venue,
         r.target, r.outcome, r.url
    FROM public.advocacy_response r
   WHERE r.deleted_at IS NULL AND r.confidentiality = 'PUBLIC';
COMMENT ON VIEW bench_pg.advocacy_response IS E'@primaryKey id';

CREATE VIEW bench_pg.citation AS
  SELECT c.id, c.created_at, c.source_id, c.incident_id, c.excerpt, c.claim, c.locator, c.search_vector
    FROM public.citation c
   WHERE c.deleted_at IS NULL AND c.confidentiality = 'PUBLIC'
     AND EXISTS (SELECT 1 FROM public.source s WHERE s.id = c.source_id AND s.deleted_at IS NULL AND s.confidentiality = 'PUBLIC')
     AND (c.incident_id IS NULL OR EXISTS (SELECT 1 FROM public.incident i WHERE i.id = c.incident_id AND i.deleted_at IS NULL AND i.confidentiality = 'PUBLIC'))
     AND (c.situation_id IS NULL OR EXISTS (SELECT 1 FROM public.situation t WHERE t.id = c.situation_id AND t.deleted_at IS NULL AND t.confidentiality = 'PUBLIC'))
     AND (c.response_id IS NULL OR EXISTS (SELECT 1 FROM public.advocacy_response r WHERE r.id = c.response_id AND r.deleted_at IS NULL AND r.confidentiality = 'PUBLIC'));
COMMENT ON VIEW bench_pg.citation IS E'@primaryKey id\n@foreignKey (incident_id) references bench_pg.incident (id)\n@foreignKey (source_id) references bench_pg.source (id)';
COMMENT ON COLUMN bench_pg.citation.search_vector IS E'@omit';

CREATE VIEW bench_pg.response_incident AS
  SELECT ri.id, ri.created_at, ri.response_id, ri.incident_id
    FROM public.response_incident ri
   WHERE ri.deleted_at IS NULL AND ri.confidentiality = 'PUBLIC'
     AND EXISTS (SELECT 1 FROM public.advocacy_response r WHERE r.id = ri.response_id AND r.deleted_at IS NULL AND r.confidentiality = 'PUBLIC')
     AND EXISTS (SELECT 1 FROM public.incident i WHERE i.id = ri.incident_id AND i.deleted_at IS NULL AND i.confidentiality = 'PUBLIC');
COMMENT ON VIEW bench_pg.response_incident IS E'@primaryKey id\n@foreignKey (incident_id) references bench_pg.incident (id)\n@foreignKey (response_id) references bench_pg.advocacy_response (id)';

-- Read 1: incidents in the given regions (a country includes its subdivisions) whose date span
-- overlaps [date_from, date_to], newest first (Vigil's default order: date_start, id).
CREATE FUNCTION bench_pg.incidents_in(regions text[], date_from date, date_to date) RETURNS SETOF bench_pg.incident
  LANGUAGE sql STABLE AS $$
    SELECT i.* FROM bench_pg.incident i
     WHERE i.region_code = ANY (ARRAY(SELECT code FROM public.region WHERE path && regions))
       AND i.date_latest >= date_from AND i.date_start <= date_to
     ORDER BY i.date_start DESC, i.id DESC
  $$;

-- Read 2: incidentStats(filter: { regions }, groupBy: [MONTH]): Vigil's statement, as a function.
CREATE FUNCTION bench_pg.incident_monthly_stats(regions text[])
  RETURNS TABLE (month text, incidents int, victims_at_least bigint, victims_at_most bigint, victims_best bigint, victims_unknown int,
                 deaths_at_least bigint, deaths_at_most bigint, deaths_best bigint, deaths_unknown int, responses int)
  LANGUAGE sql STABLE AS $$
    WITH m AS (
      SELECT coalesce(i.victims_at_least, i.victims_best) AS victims_lower, coalesce(i.victims_at_most, i.victims_best) AS victims_upper,
             i.victims_best, coalesce(i.deaths_at_least, i.deaths_best) AS deaths_lower, coalesce(i.deaths_at_most, i.deaths_best) AS deaths_upper,
             i.deaths_best,
             CASE WHEN date_trunc('month', i.date_start) = date_trunc('month', i.date_latest::timestamp) THEN to_char(i.date_start, 'YYYY-MM') END AS k_month,
             ARRAY(SELECT ri.response_id FROM bench_pg.response_incident ri WHERE ri.incident_id = i.id) AS response_ids
        FROM bench_pg.incident i
       WHERE i.region_code = ANY (ARRAY(SELECT code FROM public.region WHERE path && regions))),
    agg AS (
      SELECT k_month, count(*)::int AS incidents,
             sum(coalesce(victims_lower, 0))::bigint AS victims_at_least,
             CASE WHEN bool_or(victims_upper IS NULL) THEN NULL ELSE sum(victims_upper) END::bigint AS victims_at_most,
             coalesce(sum(victims_best), 0)::bigint AS victims_best,
             count(*) FILTER (WHERE victims_lower IS NULL AND victims_upper IS NULL)::int AS victims_unknown,
             sum(coalesce(deaths_lower, 0))::bigint AS deaths_at_least,
             CASE WHEN bool_or(deaths_upper IS NULL) THEN NULL ELSE sum(deaths_upper) END::bigint AS deaths_at_most,
             coalesce(sum(deaths_best), 0)::bigint AS deaths_best,
             count(*) FILTER (WHERE deaths_lower IS NULL AND deaths_upper IS NULL)::int AS deaths_unknown
        FROM m GROUP BY k_month),
    resp AS (SELECT k_month, count(DISTINCT rid)::int AS responses FROM m, unnest(m.response_ids) rid GROUP BY k_month)
    SELECT agg.k_month, agg.incidents, agg.victims_at_least, agg.victims_at_most, agg.victims_best, agg.victims_unknown,
           agg.deaths_at_least, agg.deaths_at_most, agg.deaths_best, agg.deaths_unknown, coalesce(resp.responses, 0)
      FROM agg LEFT JOIN resp ON agg.k_month IS NOT DISTINCT FROM resp.k_month
     ORDER BY agg.k_month NULLS LAST
  $$;

-- Read 3: full-text search ranked by relevance, as Vigil searches (src/incidents/incidents.service.ts,
-- hitsSql): the query read in every supported language by Vigil's own vigil_search_query, matched
-- against the public's search documents (migration IncidentSearchDocument: an incident's own text
-- and its visible citations', which the triggers keep to what the public may read), ranked by
-- tier (the incident's own text matches, found in its own index: 1, else 0) then ts_rank of the
-- document; ties by id, descending. The query is computed once (a parameter is not
-- folded when the function is planned). `regions` (optional) as in Read 1, narrowed in the GIN scan
-- as Vigil does.
CREATE FUNCTION bench_pg.search_incidents(search text, regions text[] DEFAULT NULL) RETURNS SETOF bench_pg.incident
  LANGUAGE sql STABLE AS $$
    WITH q AS MATERIALIZED (SELECT public.vigil_search_query(search) AS query),
    area AS MATERIALIZED (SELECT CASE WHEN regions IS NULL THEN NULL ELSE ARRAY(SELECT code FROM public.region WHERE path && regions) END AS codes),
    own AS MATERIALIZED (
      SELECT d.incident_id FROM q, area, public.incident_document_public d
       WHERE ts_filter(d.document, '{a,b}') @@ q.query AND (area.codes IS NULL OR ARRAY[d.region_code] && area.codes)),
    hit AS (
      SELECT d.incident_id, CASE WHEN d.incident_id IN (SELECT incident_id FROM own) THEN 1 ELSE 0 END AS tier,
             ts_rank(d.document, q.query)::float8 AS rank
        FROM q, area, public.incident_document_public d
       WHERE d.document @@ q.query
         AND (area.codes IS NULL OR ARRAY[d.region_code] && area.codes))
    SELECT i.* FROM hit JOIN bench_pg.incident i ON i.id = hit.incident_id
     ORDER BY hit.tier DESC, hit.rank DESC, i.id DESC
  $$;
