import { Incident } from '../incidents/incident.entity';
import { IncidentFilter } from '../incidents/dto/incident-filter.input';
import { PersonFilter } from '../people/dto/person-filter.input';
import { Person } from '../people/person.entity';
import { AccessRecorder } from './access-recorder';
import { assertMayFilter, hasHiddenFields, project, readableProperties } from './field-access';
import { Role } from './role';
import { ANONYMOUS, Viewer } from './viewer';

const researcher = new Viewer(Role.RESEARCHER, 'a1');
const editor = new Viewer(Role.EDITOR, 'a2');

describe('field access outside GraphQL (exports)', () => {
  it('keeps the columns each role may read, from the fields\' own declarations', () => {
    const columns = ['id', 'headline', 'latitude', 'longitude', 'internalNotes'];
    expect(readableProperties(ANONYMOUS, Incident, columns)).toEqual(['id', 'headline']);
    expect(readableProperties(researcher, Incident, columns)).toEqual(['id', 'headline', 'latitude', 'longitude']);
    expect(readableProperties(editor, Incident, columns)).toEqual(columns);
    expect(hasHiddenFields(researcher, Person)).toBe(true);
    expect(hasHiddenFields(editor, Person)).toBe(false);
  });

  it('projects a record to what the viewer may read, noting protected reads for the audit log', () => {
    const person = { id: 'p1', pseudonym: 'Victim A', fullName: 'Real Name', contact: 'phone', notes: null } as unknown as Person;
    const props = ['id', 'pseudonym', 'fullName', 'contact', 'notes'] as const;
    expect(project(ANONYMOUS, Person, person, [...props])).toEqual({ id: 'p1', pseudonym: 'Victim A' });
    const recorder = new AccessRecorder();
    expect(project(researcher, Person, person, [...props], recorder)).toEqual({ id: 'p1', pseudonym: 'Victim A', fullName: 'Real Name' });
    expect(recorder.summary()).toMatchObject({ fields: ['Person.fullName'], subjects: ['Person:p1'], level: 'RESTRICTED' });
    const editorRecorder = new AccessRecorder();
    project(editor, Person, person, [...props], editorRecorder);
    // A null value is not a disclosure.
    expect(editorRecorder.summary()).toMatchObject({ fields: ['Person.contact', 'Person.fullName'], level: 'CONFIDENTIAL' });
  });

  it('refuses protected filters the viewer may not use, naming the parameter', () => {
    const byName = Object.assign(new PersonFilter(), { name: 'guess' });
    expect(() => assertMayFilter(ANONYMOUS, byName, 'filter')).toThrow('filter.name: not allowed to filter or sort on PersonFilter.name');
    expect(() => assertMayFilter(researcher, byName, 'filter')).not.toThrow();
    const byBox = Object.assign(new IncidentFilter(), { within: { south: 0, north: 1, west: 0, east: 1 } });
    expect(() => assertMayFilter(ANONYMOUS, byBox, 'filter')).toThrow(/IncidentFilter.within/);
    expect(() => assertMayFilter(ANONYMOUS, Object.assign(new IncidentFilter(), { regions: ['RU'] }), 'filter')).not.toThrow();
  });
});
