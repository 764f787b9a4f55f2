import { AccessLevel } from '../access/access-level';
import { ExportAccessRecorder } from './export-audit';

const audited = [
  { coordinate: 'Incident.latitude', level: AccessLevel.RESTRICTED, sql: 'i.latitude' },
  { coordinate: 'Incident.internalNotes', level: AccessLevel.CONFIDENTIAL, sql: 'i.internal_notes' },
];

describe('the audit record of an export', () => {
  it('lists the protected fields written, the highest level, the first subjects and their exact count', () => {
    const ids = Array.from({ length: 1000 }, (_, i) => `id${i}`);
    const recorder = new ExportAccessRecorder(audited, { rows: 5000, subjects: 2500, perValue: [2500, 3], ids });
    expect(recorder.isEmpty).toBe(false);
    const summary = recorder.summary();
    expect(summary).toMatchObject({ fields: ['Incident.internalNotes', 'Incident.latitude'], level: AccessLevel.CONFIDENTIAL, subjectCount: 2500 });
    expect(summary.subjects).toHaveLength(1000);
    expect(summary.subjects[0]).toBe('Incident:id0');
  });

  it('lists only fields some row carries, and is empty when none does (a null is no disclosure)', () => {
    const some = new ExportAccessRecorder(audited, { rows: 10, subjects: 1, perValue: [1, 0], ids: ['a'] });
    expect(some.summary()).toMatchObject({ fields: ['Incident.latitude'], level: AccessLevel.RESTRICTED, subjects: ['Incident:a'], subjectCount: 1 });
    expect(new ExportAccessRecorder(audited, { rows: 10, subjects: 0, perValue: [0, 0], ids: [] }).isEmpty).toBe(true);
  });
});
