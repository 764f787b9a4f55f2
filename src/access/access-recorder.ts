import { AccessLevel, rank } from './access-level';

/** At most this many subjects are listed in one audit event; the count is always exact. */
export const MAX_AUDITED_SUBJECTS = 1000;

/** On an object that stands for a record of another type (a timeline entry for an incident): the
 * type the audit log names its subject by. */
export const AUDITED_AS = Symbol('audited as');

/** The kinds of protected information a response can carry; an audit entry lists each it held. */
export enum Disclosure {
  /** A value of a `@sensitive` field (`Person.fullName`). */
  PROTECTED_FIELD = 'PROTECTED_FIELD',
  /** Any content of a record the public cannot see: its own level is above PUBLIC, or it links a
   * record that is (a citation of a restricted source). Exports: the rows of such records. */
  RECORD_ABOVE_PUBLIC = 'RECORD_ABOVE_PUBLIC',
  /** A protected filter was used (`IncidentFilter.within`): the answer tells whether guesses hit. */
  PROTECTED_FILTER = 'PROTECTED_FILTER',
  /** A protected sort was used (`PersonOrder.FULL_NAME`): the order tells about the values. */
  PROTECTED_SORT = 'PROTECTED_SORT',
}

/** What the audit keeps of one use of a protected filter or sort: enough to see guessing (how
 * narrow the guess, how many records matched), never the guessed value itself. */
export interface ProbeRecord {
  /** `IncidentFilter.within`, `PersonOrder.FULL_NAME`. */
  coordinate: string;
  /** For a box: its size in degrees. For text: its length. For a sort: the value. */
  asked: Record<string, unknown>;
  /** Records the filtered list holds (its totalCount), when it is a list. */
  matches?: number;
}

/** A record whose own level is PUBLIC but whose visibility depends on records it links (a
 * citation, an involvement): whether the public could see it is asked of the database once, when
 * the request ends (AuditService.recordAccess), and only for a viewer above PUBLIC. */
export interface LinkedRecord {
  type: string;
  id: string;
}

/** What one request returned that was not public: which protected fields, of which records, which
 * records above PUBLIC, which protected filters and sorts. Never the values. Filled by the access
 * enforcement, written to the audit log when the request ends. */
export class AccessRecorder {
  private readonly fields = new Set<string>();
  private readonly subjects = new Set<string>();
  private readonly operations = new Set<string>();
  private readonly kinds = new Set<Disclosure>();
  private readonly probes: ProbeRecord[] = [];
  private readonly linked = new Map<string, LinkedRecord>();
  private highest: AccessLevel = AccessLevel.PUBLIC;

  noteOperation(coordinate: string): void {
    this.operations.add(coordinate);
  }

  /** A protected value was returned: `coordinate` is `Type.field`, `id` the record's id. */
  noteRead(coordinate: string, level: AccessLevel, id: unknown): void {
    this.fields.add(coordinate);
    this.raise(Disclosure.PROTECTED_FIELD, level);
    if (id !== undefined && id !== null) this.subjects.add(`${coordinate.split('.')[0]}:${String(id)}`);
  }

  /** Content of a record above PUBLIC was returned (`type` as the schema names it). */
  noteRecord(type: string, level: AccessLevel, id: unknown): void {
    if (level === AccessLevel.PUBLIC) return;
    this.raise(Disclosure.RECORD_ABOVE_PUBLIC, level);
    if (id !== undefined && id !== null) this.subjects.add(`${type}:${String(id)}`);
  }

  /** A PUBLIC record whose visibility depends on linked records was returned (see LinkedRecord). */
  noteLinked(type: string, id: unknown): void {
    if (id !== undefined && id !== null) this.linked.set(`${type}:${String(id)}`, { type, id: String(id) });
  }

  /** A protected filter field or sort value was used. */
  noteProbe(kind: Disclosure.PROTECTED_FILTER | Disclosure.PROTECTED_SORT, level: AccessLevel, probe: ProbeRecord): void {
    this.fields.add(probe.coordinate);
    this.raise(kind, level);
    this.probes.push(probe);
  }

  /** Linked records still to be checked, by type. */
  get pendingLinks(): LinkedRecord[] {
    return [...this.linked.values()];
  }

  /** Information of `kind` at `level` went out. */
  protected raise(kind: Disclosure, level: AccessLevel): void {
    this.kinds.add(kind);
    if (rank(level) > rank(this.highest)) this.highest = level;
  }

  get isEmpty(): boolean {
    return this.kinds.size === 0;
  }

  summary() {
    const subjects = [...this.subjects];
    return {
      operation: [...this.operations].join(', ') || null,
      fields: [...this.fields].sort(),
      kinds: [...this.kinds].sort(),
      probes: this.probes.length ? this.probes : null,
      level: this.highest,
      subjects: subjects.slice(0, MAX_AUDITED_SUBJECTS),
      subjectCount: subjects.length,
    };
  }
}
