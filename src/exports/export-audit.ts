import { AccessLevel } from '../access/access-level';
import { AccessRecorder } from '../access/access-recorder';
import { ProtectedUse } from '../access/field-access';

/** Something protected an export writes: `sql` is not null exactly when the row carries it. */
export interface AuditedValue {
  /** A protected value: `Type.field`, as the GraphQL audit names it. Record content: the type. */
  coordinate: string;
  level: AccessLevel;
  sql: string;
  /** The row is content of a record above PUBLIC (rather than a protected field's value). */
  record?: boolean;
  /** The rows' ids are already `Type:id` (an export of several types: the timeline). */
  typedIds?: boolean;
}

/** What the export's snapshot holds, counted before the first byte is sent. */
export interface ProtectedCounts {
  /** Rows the export writes. */
  rows: number;
  /** Rows carrying at least one protected value (the audit's exact subject count). */
  subjects: number;
  /** Per audited value (same order), the rows carrying it. */
  perValue: number[];
  /** Ids of the first rows carrying a protected value, at most MAX_AUDITED_SUBJECTS. */
  ids: string[];
}

/**
 * The audit record of an export, filled from counts taken in the export's own snapshot before the
 * body is sent, so the entry is written first and the export withheld if it cannot be. The base
 * recorder lists at most MAX_AUDITED_SUBJECTS subjects but holds every noted one; an export
 * of a million rows notes only the listed ids and carries the exact count here.
 */
export class ExportAccessRecorder extends AccessRecorder {
  private counted = 0;

  constructor(audited: readonly AuditedValue[], counts: ProtectedCounts, probes: readonly ProtectedUse[] = []) {
    super();
    audited.forEach((value, k) => {
      // As in GraphQL, a null is no disclosure: a field none of the rows carries is not listed.
      if (!counts.perValue[k]) return;
      for (const id of counts.ids) {
        if (!value.record) this.noteRead(value.coordinate, value.level, id);
        else if (!value.typedIds) this.noteRecord(value.coordinate, value.level, id);
        else if (id.startsWith(`${value.coordinate}:`)) this.noteRecord(value.coordinate, value.level, id.slice(value.coordinate.length + 1));
      }
    });
    // What the filtered export matched: every row it writes.
    for (const use of probes) this.noteProbe(use.kind, use.level, { ...use.probe, matches: counts.rows });
    this.counted = counts.subjects;
  }

  override summary() {
    const s = super.summary();
    return { ...s, subjectCount: Math.max(s.subjectCount, this.counted) };
  }
}
