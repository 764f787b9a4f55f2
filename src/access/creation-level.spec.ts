import { AccessLevel } from './access-level';
import { CreatedAtLeast, LevelFollowsEnds, levelOnCreation } from './creation-level';

@CreatedAtLeast(AccessLevel.RESTRICTED)
class Witness {}

@CreatedAtLeast((values) => (values.kind === 'SECRET' ? AccessLevel.CONFIDENTIAL : AccessLevel.PUBLIC))
class Document {}

@LevelFollowsEnds()
class Link {}

class Plain {}

describe('levelOnCreation', () => {
  it('keeps a level the input gives, PUBLIC included, whatever the floor and the enclosing write', () => {
    expect(levelOnCreation(Witness, { confidentiality: AccessLevel.PUBLIC }, AccessLevel.CONFIDENTIAL)).toBe(AccessLevel.PUBLIC);
    expect(levelOnCreation(Plain, { confidentiality: AccessLevel.RESTRICTED }, null)).toBe(AccessLevel.RESTRICTED);
  });

  it('otherwise takes the highest of the type\'s floor and the enclosing write\'s level', () => {
    expect(levelOnCreation(Plain, {}, null)).toBe(AccessLevel.PUBLIC);
    expect(levelOnCreation(Witness, {}, null)).toBe(AccessLevel.RESTRICTED);
    expect(levelOnCreation(Witness, {}, AccessLevel.PUBLIC)).toBe(AccessLevel.RESTRICTED);
    expect(levelOnCreation(Witness, {}, AccessLevel.CONFIDENTIAL)).toBe(AccessLevel.CONFIDENTIAL);
    expect(levelOnCreation(Plain, {}, AccessLevel.RESTRICTED)).toBe(AccessLevel.RESTRICTED);
    expect(levelOnCreation(Document, { kind: 'SECRET' }, AccessLevel.RESTRICTED)).toBe(AccessLevel.CONFIDENTIAL);
    expect(levelOnCreation(Document, { kind: 'PRESS' }, null)).toBe(AccessLevel.PUBLIC);
  });

  it('leaves a pure link to the records it links', () => {
    expect(levelOnCreation(Link, {}, AccessLevel.CONFIDENTIAL)).toBe(AccessLevel.PUBLIC);
  });
});
