/**
 * "Every record says where it came from": an incident or advocacy response the public can see
 * cites at least one source the public can see. Every write that could break it is refused,
 * naming the record, and writes nothing (src/sources/publication-rule.ts).
 */
import { Role } from '../../src/access/role';
import { startTestApp, TestApp } from '../support/test-app';

const SOURCE = { kind: 'NEWS_REPORT', publisher: 'A newspaper', title: 'The report', published: { edtf: '2019-05-02' }, confidentiality: 'PUBLIC' };
const INCIDENT = { kind: 'DETENTION', headline: 'Detained at a checkpoint', date: { edtf: '2019-05' }, regionCode: 'GE' };
const RESPONSE = { kind: 'STATEMENT', title: 'A statement', date: { edtf: '2019-06' } };
const ADVICE = 'would be PUBLIC without citing a source the public can see: cite a PUBLIC source, or keep it RESTRICTED or CONFIDENTIAL';

describe('publishing needs a source', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp({ demo: false });
  });
  afterAll(() => t.close());

  const editor = async (query: string, input: Record<string, unknown>): Promise<any> => (await t.gql<any>(query, { input }, Role.EDITOR)).body;
  const createIncident = (input: Record<string, unknown>) =>
    editor('mutation($input: CreateIncidentInput!) { createIncident(input: $input) { id version citations { id version source { id version } } } }', input);
  const createResponse = (input: Record<string, unknown>) =>
    editor('mutation($input: CreateAdvocacyResponseInput!) { createAdvocacyResponse(input: $input) { id version } }', input);
  const counts = async () => (await t.dataSource.query(`SELECT (SELECT count(*) FROM incident)::int AS i, (SELECT count(*) FROM advocacy_response)::int AS r, (SELECT count(*) FROM source)::int AS s`))[0];

  it('refuses a PUBLIC incident or response that cites nothing, and writes nothing', async () => {
    const before = await counts();
    for (const body of [await createIncident(INCIDENT), await createIncident({ ...INCIDENT, confidentiality: 'PUBLIC', citations: [] }), await createResponse(RESPONSE)]) {
      expect(body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', problems: [{ path: 'input', message: expect.stringMatching(new RegExp(`^the new (incident|advocacy response) ${ADVICE}`)) }] });
    }
    expect(await counts()).toEqual(before);
  });

  it('refuses a PUBLIC incident whose only source is not public', async () => {
    const body = await createIncident({ ...INCIDENT, citations: [{ source: { ...SOURCE, confidentiality: 'RESTRICTED' }, claim: 'reported' }] });
    expect(body.errors[0].extensions.problems).toEqual([{ path: 'input', message: `the new incident ${ADVICE}` }]);
  });

  it('takes a PUBLIC record that cites a public source, and a RESTRICTED one that cites nothing', async () => {
    expect((await createIncident({ ...INCIDENT, citations: [{ source: SOURCE, claim: 'reported' }] })).errors).toBeUndefined();
    expect((await createIncident({ ...INCIDENT, confidentiality: 'RESTRICTED' })).errors).toBeUndefined();
    expect((await createResponse({ ...RESPONSE, confidentiality: 'CONFIDENTIAL' })).errors).toBeUndefined();
  });

  it('refuses the later write that would leave a PUBLIC record without a public source, naming it', async () => {
    const created = (await createIncident({ ...INCIDENT, citations: [{ source: SOURCE, claim: 'reported' }] })).data.createIncident;
    const [citation] = created.citations;
    const expected = [{ path: 'input', message: `the incident ${created.id} ${ADVICE}` }];

    const deleted = await editor('mutation($input: RecordVersionInput!) { deleteRecord(input: $input) { id } }', { type: 'CITATION', id: citation.id, version: citation.version });
    expect(deleted.errors[0].extensions.problems).toEqual(expected);
    const raised = await editor('mutation($input: UpdateSourceInput!) { updateSource(input: $input) { id } }', {
      id: citation.source.id, version: citation.source.version, changes: { confidentiality: 'RESTRICTED' },
    });
    expect(raised.errors[0].extensions.problems).toEqual(expected);
    const sourceGone = await editor('mutation($input: RecordVersionInput!) { deleteRecord(input: $input) { id } }', { type: 'SOURCE', id: citation.source.id, version: citation.source.version });
    expect(sourceGone.errors[0].extensions.problems).toEqual(expected);
    expect((await t.dataSource.query('SELECT deleted_at FROM citation WHERE id = $1', [citation.id]))[0].deleted_at).toBeNull();

    // Kept RESTRICTED, it may lose its source; made PUBLIC again without one, it is refused.
    const restricted = await editor('mutation($input: UpdateIncidentInput!) { updateIncident(input: $input) { id version } }', {
      id: created.id, version: created.version, changes: { confidentiality: 'RESTRICTED' },
    });
    expect(restricted.errors).toBeUndefined();
    expect((await editor('mutation($input: RecordVersionInput!) { deleteRecord(input: $input) { id } }', { type: 'CITATION', id: citation.id, version: citation.version })).errors).toBeUndefined();
    const republished = await editor('mutation($input: UpdateIncidentInput!) { updateIncident(input: $input) { id } }', {
      id: created.id, version: restricted.data.updateIncident.version, changes: { confidentiality: 'PUBLIC' },
    });
    expect(republished.errors[0].extensions.problems).toEqual(expected);
  });
});
