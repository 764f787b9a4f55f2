import { EntityManager } from 'typeorm';
import { AccessLevel } from '../access/access-level';
import { UserInputError } from '../common/errors';

/**
 * "Every record says where it came from": an incident or advocacy response the public can see
 * cites at least one source the public can see (a citation and a source both PUBLIC and not
 * deleted). Checked once at the end of every write transaction, over the records it touched:
 * creating, raising or deleting an incident, a response, a citation or a source can all break it.
 */

type Subject = 'Incident' | 'AdvocacyResponse';

interface Touched {
  incidents: Set<string>;
  responses: Set<string>;
  sources: Set<string>;
  /** Records created in the transaction: named "the new incident", as their id means nothing yet. */
  created: Set<string>;
}

/** The records each open transaction touched, by its entity manager. */
const touched = new WeakMap<EntityManager, Touched>();

export interface UnsourcedRecord {
  type: Subject;
  id: string;
  created: boolean;
}

/** Notes a written record whose change may break the rule. */
export function noteWrite(
  manager: EntityManager,
  entityName: string,
  record: { id: string; incidentId?: string | null; responseId?: string | null },
  created: boolean,
): void {
  const set = touched.get(manager) ?? { incidents: new Set<string>(), responses: new Set<string>(), sources: new Set<string>(), created: new Set<string>() };
  touched.set(manager, set);
  if (created) set.created.add(record.id);
  if (entityName === 'Incident') set.incidents.add(record.id);
  else if (entityName === 'AdvocacyResponse') set.responses.add(record.id);
  else if (entityName === 'Source') set.sources.add(record.id);
  else if (entityName === 'Citation') {
    if (record.incidentId) set.incidents.add(record.incidentId);
    if (record.responseId) set.responses.add(record.responseId);
  }
}

/** The records touched in this transaction that are PUBLIC and cite no PUBLIC source; forgets
 * what was touched. */
export async function unsourcedPublicRecords(manager: EntityManager): Promise<UnsourcedRecord[]> {
  const set = touched.get(manager);
  touched.delete(manager);
  if (!set || (!set.incidents.size && !set.responses.size && !set.sources.size)) return [];
  const rows: Omit<UnsourcedRecord, 'created'>[] = await manager.query(
    `SELECT 'Incident' AS type, t.id FROM incident t
      WHERE (t.id = ANY($1::uuid[]) OR t.id IN (SELECT incident_id FROM citation WHERE source_id = ANY($3::uuid[])))
        AND t.confidentiality = '${AccessLevel.PUBLIC}' AND t.deleted_at IS NULL AND NOT ${publicSource('incident_id')}
     UNION ALL
     SELECT 'AdvocacyResponse', t.id FROM advocacy_response t
      WHERE (t.id = ANY($2::uuid[]) OR t.id IN (SELECT response_id FROM citation WHERE source_id = ANY($3::uuid[])))
        AND t.confidentiality = '${AccessLevel.PUBLIC}' AND t.deleted_at IS NULL AND NOT ${publicSource('response_id')}
     ORDER BY 1, 2`,
    [[...set.incidents], [...set.responses], [...set.sources]],
  );
  return rows.map((row) => ({ ...row, created: set.created.has(row.id) }));
}

/** SQL: record `t` (an incident, or a response) cites a source the public can see. */
function publicSource(subject: 'incident_id' | 'response_id'): string {
  return (
    `EXISTS (SELECT 1 FROM citation c JOIN source s ON s.id = c.source_id WHERE c.${subject} = t.id ` +
    `AND c.deleted_at IS NULL AND c.confidentiality = '${AccessLevel.PUBLIC}' AND s.deleted_at IS NULL AND s.confidentiality = '${AccessLevel.PUBLIC}')`
  );
}

/** Statements that keep RESTRICTED every PUBLIC record citing no public source: for bulk loads
 * that write rows directly (the synthetic data generator), so that they hold the rule too. One
 * hashed anti-join each: a bulk load has no statistics yet, and a correlated check would run once
 * per row. */
export function restrictUnsourcedSql(): string[] {
  return [
    ['incident', 'incident_id'],
    ['advocacy_response', 'response_id'],
  ].map(
    ([table, subject]) =>
      `UPDATE ${table} t SET confidentiality = '${AccessLevel.RESTRICTED}' WHERE t.confidentiality = '${AccessLevel.PUBLIC}' AND t.deleted_at IS NULL ` +
      `AND t.id NOT IN (SELECT c.${subject} FROM citation c JOIN source s ON s.id = c.source_id WHERE c.${subject} IS NOT NULL ` +
      `AND c.deleted_at IS NULL AND c.confidentiality = '${AccessLevel.PUBLIC}' AND s.deleted_at IS NULL AND s.confidentiality = '${AccessLevel.PUBLIC}')`,
  );
}

const LABEL: Record<Subject, string> = { Incident: 'incident', AdvocacyResponse: 'advocacy response' };

/** What the caller is told, naming the record and what to do. */
export function unsourcedMessage(record: UnsourcedRecord): string {
  const which = record.created ? `the new ${LABEL[record.type]}` : `the ${LABEL[record.type]} ${record.id}`;
  return `${which} would be PUBLIC without citing a source the public can see: cite a PUBLIC source, or keep it RESTRICTED or CONFIDENTIAL`;
}

/** Refuses the transaction when it leaves a PUBLIC record without a visible source. */
export async function assertSourcedPublicRecords(manager: EntityManager): Promise<void> {
  const found = await unsourcedPublicRecords(manager);
  if (found.length) throw new UserInputError(found.map((record) => ({ path: 'input', message: unsourcedMessage(record) })));
}
