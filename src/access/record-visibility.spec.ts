import { visibleCondition } from './record-visibility';

const checked = (condition: string) => [...condition.matchAll(/FROM (\w+) \w+_dep\d+ WHERE \w+_dep\d+\.id = c\.(\w+)/g)].map((m) => m[2]).sort();

describe('visibleCondition', () => {
  it('checks every record a citation links', () => {
    expect(checked(visibleCondition('Citation', 'c', 'l'))).toEqual(['incident_id', 'response_id', 'situation_id', 'source_id']);
  });

  // A CHECK gives a citation exactly one subject: read by one, the others are null.
  it.each([
    ['incident_id', ['incident_id', 'source_id']],
    ['situation_id', ['situation_id', 'source_id']],
    ['response_id', ['response_id', 'source_id']],
  ])('leaves out the other subjects of citations read by %s, and still checks that one', (column, expected) => {
    expect(checked(visibleCondition('Citation', 'c', 'l', { referenceSet: column }))).toEqual(expected);
  });

  it('leaves out nothing for citations read by their source (any subject may be set)', () => {
    expect(checked(visibleCondition('Citation', 'c', 'l', { referenceSet: 'source_id' }))).toEqual(['incident_id', 'response_id', 'situation_id', 'source_id']);
  });

  it('leaves out nothing for another record read by a reference', () => {
    const involvement = visibleCondition('Involvement', 'c', 'l', { referenceSet: 'incident_id' });
    expect(checked(involvement)).toEqual(['incident_id', 'person_id']);
  });
});
