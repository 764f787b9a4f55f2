import { AccessLevel, rank } from './access-level';

/** At most this many subjects are listed in one audit event; the count is always exact. */
export const MAX_AUDITED_SUBJECTS = 1000;

/** What one request returned that was not public: which protected fields, of which records. Never
 * the values. Filled by the access enforcement, written to the audit log when the request ends. */
export class AccessRecorder {
  private readonly fields = new Set<string>();
  private readonly subjects = new Set<string>();
  private readonly operations = new Set<string>();
  private highest: AccessLevel = AccessLevel.PUBLIC;

  noteOperation(coordinate: string): void {
    this.operations.add(coordinate);
  }

  /** A protected value was returned: `coordinate` is `Type.field`, `id` the record's id. */
  noteRead(coordinate: string, level: AccessLevel, id: unknown): void {
    this.fields.add(coordinate);
    if (rank(level) > rank(this.highest)) this.highest = level;
    if (id !== undefined && id !== null) this.subjects.add(`${coordinate.split('.')[0]}:${String(id)}`);
  }

  get isEmpty(): boolean {
    return this.fields.size === 0;
  }

  summary() {
    const subjects = [...this.subjects];
    return {
      operation: [...this.operations].join(', ') || null,
      fields: [...this.fields].sort(),
      level: this.highest,
      subjects: subjects.slice(0, MAX_AUDITED_SUBJECTS),
      subjectCount: subjects.length,
    };
  }
}
