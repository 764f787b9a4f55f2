/**
 * Every create and update mutation, end to end on a real PostgreSQL, from one table of entries:
 * - success: what is returned is what was sent (dates in their stored form), the version starts at
 *   1 and grows by one, and the row, its revision and its audit entry are written;
 * - each validation rule that applies to the input, alone and then all at once: one BAD_USER_INPUT
 *   listing exactly the bad paths, and nothing written;
 * - values GraphQL itself refuses (unknown enum values, null for a required field): an error, never
 *   a 500, nothing written;
 * - a stale version: CONFLICT with the current version, nothing written;
 * - researchers and the public: FORBIDDEN, nothing written;
 * - multi-row creates whose last row fails in the database: nothing of the request is written.
 */
import { Role } from '../../src/access/role';
import { TEXT } from '../../src/common/write-inputs';
import { startTestApp, TestApp } from '../support/test-app';

type Input = Record<string, unknown>;
type Gql = Awaited<ReturnType<TestApp['gql']>>;

// ---------------------------------------------------------------------------------------------
// Fixtures: records the inputs refer to, by placeholder ('@incident', '@gone.situation'), created in
// beforeAll and substituted when a request is sent.
// ---------------------------------------------------------------------------------------------

const fx: Record<string, string> = {};
/** A well-formed id that names no record. */
const NOWHERE = '00000000-0000-4000-8000-00000000dead';

function resolve<T>(value: T): T {
  if (typeof value === 'string' && value.startsWith('@')) {
    if (!(value.slice(1) in fx)) throw new Error(`no fixture ${value}`);
    return fx[value.slice(1)] as T;
  }
  if (Array.isArray(value)) return value.map(resolve) as T;
  if (value && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, resolve(v)])) as T;
  return value;
}

/** `base` with the top-level keys of `patch` replaced (undefined removes one). */
function apply(base: Input, patch: Input): Input {
  const out = { ...base };
  for (const [k, v] of Object.entries(patch)) {
    if (v === undefined) delete out[k];
    else out[k] = v;
  }
  return out;
}

function isPlainObject(v: unknown): v is Input {
  return !!v && typeof v === 'object' && !Array.isArray(v);
}

function merge(a: Input, b: Input): Input {
  const out = { ...a };
  for (const [k, v] of Object.entries(b)) out[k] = isPlainObject(v) && isPlainObject(out[k]) ? merge(out[k] as Input, v) : v;
  return out;
}

/** A GraphQL selection set naming every field of `shape`. */
function selectionOf(shape: Input): string {
  return Object.entries(shape)
    .map(([k, v]) => (isPlainObject(v) ? `${k} { ${selectionOf(v)} }` : k))
    .join(' ');
}

// ---------------------------------------------------------------------------------------------
// Rules: a patch of the valid input and the problems it must cause, by path (relative to `input.`
// for creates, to `input.changes.` for updates unless `top`) and a word of the reason.
// ---------------------------------------------------------------------------------------------

interface Rule {
  name: string;
  patch: Input;
  problems: Record<string, RegExp>;
  /** Update rules on the input itself (id, version, reason) rather than its changes. */
  top?: boolean;
  /** Checked after validation (by the service): cannot be combined with the others. */
  alone?: boolean;
  /** A known bug: the case runs as it.failing, and is left out of "all at once". */
  bug?: string;
}

const rule = (name: string, patch: Input, problems: Record<string, RegExp>, options: Partial<Rule> = {}): Rule => ({ name, patch, problems, ...options });

const dateRules = (f: string): Rule[] => [
  rule('a day that does not exist (2017-02-30)', { [f]: { start: '2017-02-30', precision: 'DAY' } }, { [`${f}.start`]: /exist/ }),
  rule('a day that does not exist, in EDTF (2017-02-29)', { [f]: { edtf: '2017-02-29' } }, { [`${f}.edtf`]: /exist/ }),
  rule('an EDTF interval ending on a day that does not exist', { [f]: { edtf: '2017-02-01/2017-02-29' } }, { [`${f}.edtf`]: /exist/ }),
  rule('an end before the start', { [f]: { start: '2017-04', end: '2017-03', precision: 'MONTH' } }, { [`${f}.end`]: /before start/ }),
  rule('a day given with MONTH precision', { [f]: { start: '2017-04-15', precision: 'MONTH' } }, { [`${f}.start`]: /precision/ }),
  rule('a start without its precision', { [f]: { start: '2017-04' } }, { [`${f}.precision`]: /required/ }),
  rule('EDTF that does not parse', { [f]: { edtf: 'spring 2017' } }, { [`${f}.edtf`]: /EDTF/ }),
  rule('EDTF together with start', { [f]: { edtf: '2017-04', start: '2017-04', precision: 'MONTH' } }, { [`${f}.edtf`]: /not both/ }),
  rule('the date in words over 200 characters', { [f]: { edtf: '2017-04', asReported: 'x'.repeat(TEXT.PHRASE + 1) } }, { [`${f}.asReported`]: /shorter/ }),
];

const countRules = (f: string): Rule[] => [
  rule('a negative count', { [f]: { atLeast: -1 } }, { [`${f}.atLeast`]: /less than 0/ }),
  rule('atLeast above atMost', { [f]: { atLeast: 200, atMost: 100 } }, { [`${f}.atMost`]: /below atLeast/ }),
  rule('best below atLeast', { [f]: { atLeast: 100, best: 50 } }, { [`${f}.best`]: /below atLeast/ }),
  // Reported on the later figure of the pair, as atLeast above atMost is.
  rule('best above atMost', { [f]: { best: 300, atMost: 200 } }, { [`${f}.atMost`]: /below best/ }),
];

const regionRules = (f: string): Rule[] => [
  rule('an unknown region code (XX)', { [f]: 'XX' }, { [f]: /ISO 3166/ }),
  rule('a region code in lower case (ru)', { [f]: 'ru' }, { [f]: /ISO 3166/ }),
];

const urlRules = (f: string): Rule[] => [
  rule(`a javascript: ${f}`, { [f]: 'javascript:alert(1)' }, { [f]: /http/ }),
  rule(`an ftp ${f}`, { [f]: 'ftp://x' }, { [f]: /http/ }),
  rule(`a ${f} that is no URL`, { [f]: 'not a url' }, { [f]: /http/ }),
];

const tooLong = (f: string, bound: number): Rule => rule(`${f} of ${bound + 1} characters`, { [f]: 'x'.repeat(bound + 1) }, { [f]: /shorter than or equal to/ });
const empty = (f: string): Rule => rule(`an empty ${f}`, { [f]: '' }, { [f]: /longer than or equal to 1/ });

/** A reference to no record, and to a soft-deleted one (`@gone.<fixture>`). */
const refRules = (f: string, fixture: string, entity: string, wrap: (id: string) => unknown = (id) => id, at = f): Rule[] => [
  rule(`${f} naming no record`, { [f]: wrap(NOWHERE) }, { [at]: new RegExp(`no ${entity} with this id`) }),
  rule(`${f} naming a deleted record`, { [f]: wrap(`@gone.${fixture}`) }, { [at]: new RegExp(`no ${entity} with this id`) }),
];

const coordinateRules: Rule[] = [
  rule('latitude 91', { latitude: 91, longitude: 45.87 }, { latitude: /greater than 90/ }),
  rule('longitude -181', { latitude: 43.29, longitude: -181 }, { longitude: /less than -180/ }),
  rule('latitude without longitude', { latitude: 43.29, longitude: undefined }, { latitude: /needs longitude/ }),
];

/** Required fields an update may leave out but not clear. */
const nullRules = (...fields: string[]): Rule[] => fields.map((f) => rule(`null for the required ${f}`, { [f]: null }, { [f]: /./ }));

const createRules: Rule[] = [tooLong('reason', TEXT.REASON)];
const updateRules: Rule[] = [
  rule('a malformed id', { id: 'not-an-id' }, { id: /UUID/ }, { top: true }),
  rule('version 0', { version: 0 }, { version: /less than 1/ }, { top: true }),
  { ...tooLong('reason', TEXT.REASON), top: true },
  rule('null confidentiality', { confidentiality: null }, { confidentiality: /one of/ }),
];

/** Values GraphQL refuses before any resolver runs. */
interface Refusal {
  name: string;
  patch: Input;
}
const refusal = (name: string, patch: Input): Refusal => ({ name, patch });
const secret = refusal('an unknown confidentiality (TOP_SECRET)', { confidentiality: 'TOP_SECRET' });

// ---------------------------------------------------------------------------------------------
// The table: one entry per mutation.
// ---------------------------------------------------------------------------------------------

interface Entry {
  mutation: string;
  inputType: string;
  kind: 'create' | 'update' | 'links';
  /** Where the record lands; its RecordType (revision) and entity name (audit log). */
  table: string;
  type: string;
  entity: string;
  /** create and links: the whole input; update: the changes. */
  valid: Input;
  /** update: the create mutation and input of the record to change. */
  seed?: { mutation: string; inputType: string; input: () => Promise<Input> };
  /** Returned values that differ in form from what was sent (stored dates, filled-in counts). */
  stored?: Input;
  /** Fields to select beyond what was sent. */
  extraSelect?: string;
  rules: Rule[];
  refusals: Refusal[];
  /** Further checks of a successful create. */
  after?: (out: any) => Promise<void>;
}

const SHA256 = 'sha256:9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08';

const incident: Input = {
  kind: 'ABDUCTION',
  headline: 'Over 100 men believed to be gay or bisexual abducted in Chechnya',
  description: 'Men suspected of being gay were detained and held in a secret prison near Argun, Novaya Gazeta reports.',
  date: { edtf: '2017-03~', asReported: 'late February or March' },
  regionCode: 'RU-CE',
  locality: 'Argun',
  latitude: 43.29,
  longitude: 45.87,
  locationPrecision: 'LOCALITY',
  victims: { atLeast: 100, basis: 'ESTIMATED', asReported: 'over 100 men' },
  deaths: { atLeast: 3, basis: 'DOCUMENTED', asReported: 'at least three killed' },
  perpetratorDescription: 'Chechen police and security forces',
  verificationStatus: 'CORROBORATED',
  internalNotes: 'A second witness can be reached through the Russian LGBT Network.',
  situationId: '@situation',
  // RESTRICTED: a PUBLIC incident must cite a public source (test/editing/publication-rule.e2e-spec.ts).
  confidentiality: 'RESTRICTED',
  reason: 'Novaya Gazeta, 1 April 2017',
};
const incidentStored = {
  date: { start: '2017-03-01', end: null, precision: 'MONTH', approximate: true, uncertain: false, openEnd: false },
  victims: { best: null, atMost: null },
  deaths: { best: null, atMost: null },
};
const incidentChanges: Input = {
  kind: 'TORTURE_OR_ILL_TREATMENT',
  headline: 'Torture and killing of men detained for their sexuality in Chechnya',
  date: { start: '2017-02', end: '2017-04', precision: 'MONTH', asReported: 'from late February to early April' },
  victims: { atLeast: 100, atMost: 200, basis: 'ESTIMATED', asReported: 'over 100 men' },
  verificationStatus: 'VERIFIED',
};
const incidentRules: Rule[] = [
  ...dateRules('date'),
  ...regionRules('regionCode'),
  ...countRules('victims'),
  rule('a negative death count', { deaths: { best: -3 } }, { 'deaths.best': /less than 0/ }),
  ...coordinateRules,
  tooLong('headline', TEXT.SHORT),
  tooLong('description', TEXT.LONG),
  tooLong('perpetratorDescription', TEXT.LONG),
  ...refRules('situationId', 'situation', 'Situation'),
];

const source: Input = {
  kind: 'NEWS_REPORT',
  publisher: 'Gay Star News',
  publisherAttribution: 'STATED',
  publisherOrganizationId: '@media',
  title: 'Londoners rally at Russian embassy demanding end to torture in Chechnya',
  author: 'Gay Star News staff',
  url: 'https://www.gaystarnews.com/article/londoners-rally-russian-embassy-chechnya/',
  published: { start: '2019-01-12', precision: 'DAY' },
  language: 'en',
  reliability: 'FAIRLY_RELIABLE',
  archivedUrl: 'https://web.archive.org/web/2019/https://www.gaystarnews.com/article/londoners-rally-russian-embassy-chechnya/',
  contentHash: SHA256,
  confidentiality: 'PUBLIC',
  reason: 'the rally report',
};
const sourceRules: Rule[] = [
  ...dateRules('published'),
  ...urlRules('url'),
  rule('a javascript: archivedUrl', { archivedUrl: 'javascript:alert(1)' }, { archivedUrl: /http/ }),
  tooLong('title', TEXT.SHORT),
  tooLong('attributionNote', TEXT.LONG),
  rule('a language that is no BCP 47 tag', { language: 'Russian' }, { language: /BCP 47/ }),
  rule('a content hash that is no sha256', { contentHash: 'md5:abc' }, { contentHash: /sha256/ }),
  ...refRules('publisherOrganizationId', 'organization', 'Organization'),
];

const newPerson: Input = {
  pseudonym: 'Victim A',
  fullName: 'Name withheld',
  otherNames: 'none known',
  gender: 'male',
  birthYear: 1987,
  occupation: 'shop assistant',
  contact: 'through the Russian LGBT Network hotline',
  notes: 'Held for twelve days in Argun; released to relatives.',
  confidentiality: 'PUBLIC',
};
const personRules: Rule[] = [
  tooLong('pseudonym', TEXT.SHORT),
  tooLong('fullName', TEXT.SHORT),
  tooLong('gender', TEXT.PHRASE),
  tooLong('notes', TEXT.LONG),
  rule('a birth year of 1700', { birthYear: 1700 }, { birthYear: /less than 1800/ }),
];

const response: Input = {
  kind: 'PETITION',
  title: 'Petition calling on Russian authorities to investigate the crackdown in Chechnya',
  description: 'Amnesty International UK supporters delivered the petition to the Russian Embassy.',
  date: { start: '2017-06-02', precision: 'DAY', asReported: 'Friday 2 June' },
  regionCode: 'GB-ENG',
  venue: 'Russian Embassy, London',
  organizersDescription: 'Amnesty International UK and Stonewall supporters',
  target: 'Russian authorities',
  signatures: { atLeast: 177000, basis: 'ESTIMATED', asReported: 'More than 177,000' },
  outcome: 'Handed in at the embassy',
  url: 'https://www.amnesty.org.uk/chechnya-petition',
  confidentiality: 'RESTRICTED', // as the incident's
  reason: 'Stonewall report of the day of action',
};
const responseStored = {
  date: { start: '2017-06-02', end: null, precision: 'DAY', approximate: false, openEnd: false, edtf: '2017-06-02' },
  signatures: { best: null, atMost: null },
};
const responseRules: Rule[] = [
  ...dateRules('date'),
  ...regionRules('regionCode'),
  ...countRules('signatures'),
  rule('a negative participant count', { participants: { atLeast: -100 } }, { 'participants.atLeast': /less than 0/ }),
  ...urlRules('url'),
  tooLong('title', TEXT.SHORT),
  tooLong('description', TEXT.LONG),
  tooLong('venue', TEXT.SHORT),
];

/** A create entry and an update entry for one record type. */
function pair(o: {
  name: string;
  table: string;
  type: string;
  base: Input;
  stored?: Input;
  changes: Input;
  changesStored?: Input;
  rules: Rule[];
  createOnly?: Rule[];
  updateOnly?: Rule[];
  required: string[];
  refusals: Refusal[];
  createRefusals?: Refusal[];
  create?: Partial<Entry>;
  seed?: () => Promise<Input>;
}): Entry[] {
  const createInputType = `Create${o.name}Input`;
  return [
    {
      mutation: `create${o.name}`,
      inputType: createInputType,
      kind: 'create',
      table: o.table,
      type: o.type,
      entity: o.name,
      valid: o.base,
      stored: o.stored,
      rules: [...o.rules, ...(o.createOnly ?? []), ...createRules],
      refusals: [...o.refusals, ...(o.createRefusals ?? []), secret],
      ...o.create,
    },
    {
      mutation: `update${o.name}`,
      inputType: `Update${o.name}Input`,
      kind: 'update',
      table: o.table,
      type: o.type,
      entity: o.name,
      valid: o.changes,
      stored: o.changesStored,
      seed: { mutation: `create${o.name}`, inputType: createInputType, input: o.seed ?? (async () => resolve(o.base)) },
      rules: [...o.rules, ...(o.updateOnly ?? []), ...nullRules(...o.required), ...updateRules],
      refusals: [...o.refusals, secret],
    },
  ];
}

const involvementOf = (personId: string, role = 'VICTIM') => ({ incidentId: '@incident', personId, role });

const ENTRIES: Entry[] = [
  ...pair({
    name: 'Incident',
    table: 'incident',
    type: 'INCIDENT',
    base: incident,
    stored: incidentStored,
    changes: incidentChanges,
    changesStored: { date: { start: '2017-02-01', end: '2017-04-01', edtf: '2017-02/2017-04', openEnd: false }, victims: { best: null } },
    rules: incidentRules,
    updateOnly: [
      // Clearing one coordinate of a placed incident would leave the other alone.
      rule('latitude cleared without longitude', { latitude: null }, { latitude: /longitude/ }),
    ],
    createOnly: [
      empty('headline'),
      rule('a citation with neither sourceId nor source', { citations: [{ excerpt: 'over 100 men' }] }, { 'citations[0].sourceId': /exactly one/ }),
      rule('a citation with both sourceId and source', { citations: [{ sourceId: '@source', source: withoutReason(source) }] }, { 'citations[0].sourceId': /exactly one/ }),
      rule('a citation of a source that does not exist', { citations: [{ sourceId: NOWHERE }] }, { 'citations[0].sourceId': /no Source/ }),
      rule('a citation of a deleted source', { citations: [{ sourceId: '@gone.source' }] }, { 'citations[0].sourceId': /no Source/ }),
      rule('a new source with a javascript: url', { citations: [{ source: { ...withoutReason(source), url: 'javascript:alert(1)' } }] }, { 'citations[0].source.url': /http/ }),
      rule('an involvement with neither personId nor person', { involvements: [{ role: 'VICTIM' }] }, { 'involvements[0].personId': /exactly one/ }),
      rule('an involvement with both personId and person', { involvements: [{ role: 'VICTIM', personId: '@person', person: { pseudonym: 'Victim B' } }] }, { 'involvements[0].personId': /exactly one/ }),
      rule('an involvement of a deleted person', { involvements: [{ role: 'VICTIM', personId: '@gone.person' }] }, { 'involvements[0].personId': /no Person/ }),
      rule('a new person with an empty pseudonym', { involvements: [{ role: 'WITNESS', person: { pseudonym: '' } }] }, { 'involvements[0].person.pseudonym': /longer/ }),
      ...refRules('responseIds', 'response', 'AdvocacyResponse', (id) => [id], 'responseIds[0]'),
    ],
    required: ['kind', 'headline', 'date', 'regionCode', 'locationPrecision', 'verificationStatus'],
    refusals: [refusal('an unknown kind (MASSACRE)', { kind: 'MASSACRE' }), refusal('an unknown verification status (MAYBE)', { verificationStatus: 'MAYBE' })],
    createRefusals: [refusal('null for the required headline', { headline: null }), refusal('an unknown involvement role', { involvements: [{ personId: '@person', role: 'BYSTANDER' }] })],
    create: {
      valid: {
        ...incident,
        citations: [
          { sourceId: '@source', excerpt: 'more than a hundred men suspected of being gay have been detained', claim: 'victim count', locator: 'paragraph 2' },
          { source: { ...withoutReason(source), title: 'Chechnya: gay men detained in secret prison', url: 'https://www.example.org/chechnya-secret-prison' }, claim: 'place' },
        ],
        involvements: [
          { person: { pseudonym: 'Victim A', gender: 'male' }, role: 'VICTIM', description: 'Held and beaten for twelve days' },
          { personId: '@person', role: 'WITNESS' },
        ],
        responseIds: ['@response'],
      },
      extraSelect: 'citations { id sourceId excerpt claim locator } involvements { id personId role description } responses { id }',
      after: async (out) => {
        expect(out.citations).toHaveLength(2);
        expect(out.citations.map((c: any) => c.sourceId)).toContain(fx.source);
        const newSource = out.citations.map((c: any) => c.sourceId).find((id: string) => id !== fx.source);
        expect(out.involvements.map((i: any) => i.role).sort()).toEqual(['VICTIM', 'WITNESS']);
        const newPersonId = out.involvements.find((i: any) => i.role === 'VICTIM').personId;
        expect(out.responses).toEqual([{ id: fx.response }]);
        const [link] = await t.dataSource.query(`SELECT id FROM response_incident WHERE incident_id = $1 AND response_id = $2`, [out.id, fx.response]);
        for (const [table, type, entity, id] of [
          ['source', 'SOURCE', 'Source', newSource],
          ['person', 'PERSON', 'Person', newPersonId],
          ...out.citations.map((c: any) => ['citation', 'CITATION', 'Citation', c.id]),
          ...out.involvements.map((i: any) => ['involvement', 'INVOLVEMENT', 'Involvement', i.id]),
          ['response_incident', 'RESPONSE_INCIDENT', 'ResponseIncident', link.id],
        ]) {
          await expectWritten({ table, type, entity, mutation: 'createIncident' }, id, 1, 'CREATE');
        }
      },
    },
  }),
  ...pair({
    name: 'Situation',
    table: 'situation',
    type: 'SITUATION',
    base: {
      name: 'Persecution of LGBT people in Chechnya (2017 onwards)',
      description: 'Abductions, detention in secret prisons, torture and killings of men believed to be gay.',
      date: { edtf: '2017-02/..', asReported: 'since February 2017' },
      regionCode: 'RU-CE',
      confidentiality: 'PUBLIC',
      reason: 'the campaign the incidents belong to',
    },
    stored: { date: { start: '2017-02-01', end: null, precision: 'MONTH', openEnd: true, approximate: false } },
    changes: { name: 'Anti-gay purge in Chechnya', date: { start: '2017-02', end: '2019-01', precision: 'MONTH' }, regionCode: 'RU' },
    changesStored: { date: { start: '2017-02-01', end: '2019-01-01', edtf: '2017-02/2019-01', openEnd: false } },
    rules: [...dateRules('date'), ...regionRules('regionCode'), tooLong('name', TEXT.SHORT), tooLong('description', TEXT.LONG)],
    createOnly: [empty('name')],
    required: ['name', 'date'],
    refusals: [],
    createRefusals: [refusal('null for the required date', { date: null })],
  }),
  ...pair({
    name: 'Person',
    table: 'person',
    type: 'PERSON',
    base: { ...newPerson, reason: 'witness statement' },
    changes: { pseudonym: 'a 30-year-old man from Grozny', birthYear: 1988, occupation: null },
    rules: personRules,
    createOnly: [empty('pseudonym')],
    required: ['pseudonym'],
    refusals: [],
    createRefusals: [refusal('null for the required pseudonym', { pseudonym: null })],
  }),
  ...pair({
    name: 'Involvement',
    table: 'involvement',
    type: 'INVOLVEMENT',
    base: { ...involvementOf('@person', 'WITNESS'), description: 'Saw the men taken from a café in Grozny', confidentiality: 'RESTRICTED', reason: 'statement' },
    seed: async () => resolve(involvementOf(await freshPerson())),
    changes: { role: 'OTHER', description: 'Drove the victims\' families to Argun' },
    rules: [tooLong('description', TEXT.LONG)],
    createOnly: [
      ...refRules('incidentId', 'incident', 'Incident'),
      ...refRules('personId', 'person', 'Person'),
      rule('a malformed personId', { personId: 'not-an-id' }, { personId: /UUID/ }),
    ],
    required: ['role'],
    refusals: [refusal('an unknown role (BYSTANDER)', { role: 'BYSTANDER' })],
  }),
  ...pair({
    name: 'Source',
    table: 'source',
    type: 'SOURCE',
    base: source,
    stored: { published: { start: '2019-01-12', end: null, precision: 'DAY', edtf: '2019-01-12' } },
    changes: { title: 'Rally at Russian embassy: “end the torture in Chechnya”', published: { edtf: '2019-01~' }, url: 'http://www.gaystarnews.com/?p=1', archivedUrl: null },
    changesStored: { published: { start: '2019-01-01', end: null, precision: 'MONTH', approximate: true } },
    rules: sourceRules,
    createOnly: [empty('publisher')],
    required: ['kind', 'publisher', 'title', 'published', 'publisherAttribution', 'reliability'],
    refusals: [refusal('an unknown kind (BLOG)', { kind: 'BLOG' }), refusal('an unknown reliability (SOMEWHAT)', { reliability: 'SOMEWHAT' })],
  }),
  ...pair({
    name: 'Citation',
    table: 'citation',
    type: 'CITATION',
    base: {
      sourceId: '@source',
      incidentId: '@incident',
      excerpt: 'more than a hundred men suspected of being gay have been detained',
      claim: 'victim count',
      locator: 'paragraph 2',
      reason: 'supports the count',
    },
    changes: { excerpt: 'over 100 men', claim: 'victims', locator: null },
    rules: [tooLong('excerpt', TEXT.LONG), tooLong('claim', TEXT.PHRASE), tooLong('locator', TEXT.PHRASE)],
    createOnly: [
      rule('two subjects (an incident and a situation)', { situationId: '@situation' }, { incidentId: /exactly one/ }),
      rule('no subject', { incidentId: undefined }, { incidentId: /exactly one/ }),
      ...refRules('sourceId', 'source', 'Source'),
      rule('a deleted situation as the subject', { incidentId: undefined, situationId: '@gone.situation' }, { situationId: /no Situation/ }),
      rule('a response that does not exist as the subject', { incidentId: undefined, responseId: NOWHERE }, { responseId: /no AdvocacyResponse/ }),
    ],
    required: [],
    refusals: [],
    createRefusals: [refusal('null for the required sourceId', { sourceId: null })],
  }),
  ...pair({
    name: 'Organization',
    table: 'organization',
    type: 'ORGANIZATION',
    base: {
      name: 'Russian LGBT Network',
      kind: 'NGO',
      description: 'Runs the emergency hotline and the evacuations from Chechnya.',
      website: 'https://lgbtnet.org',
      regionCode: 'RU',
      confidentiality: 'PUBLIC',
      reason: 'organizer of the evacuations',
    },
    changes: { name: 'Российская ЛГБТ-сеть', website: 'https://lgbtnet.org/en/', regionCode: 'RU-SPE' },
    rules: [tooLong('name', TEXT.SHORT), tooLong('description', TEXT.LONG), ...urlRules('website'), ...regionRules('regionCode')],
    createOnly: [empty('name')],
    required: ['name', 'kind'],
    refusals: [refusal('an unknown kind (CHARITY)', { kind: 'CHARITY' })],
  }),
  ...pair({
    name: 'AdvocacyResponse',
    table: 'advocacy_response',
    type: 'ADVOCACY_RESPONSE',
    base: response,
    stored: responseStored,
    changes: {
      kind: 'PROTEST',
      title: 'Rally at the Russian Embassy in London demanding an end to torture in Chechnya',
      date: { edtf: '2019-01~' },
      participants: { best: 100, basis: 'ESTIMATED', asReported: 'nearly one hundred people' },
      signatures: null,
      target: 'Russian and Chechen authorities',
    },
    changesStored: {
      date: { start: '2019-01-01', end: null, precision: 'MONTH', approximate: true },
      participants: { atLeast: null, atMost: null },
      signatures: { atLeast: null, best: null, atMost: null, basis: null, asReported: null },
    },
    rules: responseRules,
    createOnly: [
      empty('title'),
      ...refRules('incidentIds', 'incident', 'Incident', (id) => [id], 'incidentIds[0]'),
      ...refRules('situationIds', 'situation', 'Situation', (id) => [id], 'situationIds[0]'),
      ...refRules('organizers', 'organization', 'Organization', (id) => [{ organizationId: id }], 'organizers[0].organizationId'),
      rule('a citation with neither sourceId nor source', { citations: [{ excerpt: '177,000' }] }, { 'citations[0].sourceId': /exactly one/ }),
      rule('a citation with both sourceId and source', { citations: [{ sourceId: '@source', source: withoutReason(source) }] }, { 'citations[0].sourceId': /exactly one/ }),
      rule('a citation of a deleted source', { citations: [{ sourceId: '@gone.source' }] }, { 'citations[0].sourceId': /no Source/ }),
    ],
    required: ['kind', 'title', 'date'],
    refusals: [refusal('an unknown kind (VIGIL)', { kind: 'VIGIL' })],
    createRefusals: [refusal('an unknown organizer role (SPONSOR)', { organizers: [{ organizationId: '@organization', role: 'SPONSOR' }] })],
    create: {
      valid: {
        ...response,
        incidentIds: ['@incident'],
        situationIds: ['@situation'],
        organizers: [{ organizationId: '@organization' }, { organizationId: '@organization2', role: 'PARTNER' }],
        citations: [
          { sourceId: '@source', excerpt: 'More than 177,000-signature petition taken to Russian Embassy', claim: 'signatures' },
          { source: { ...withoutReason(source), title: 'We Exist: Stonewall and Amnesty protest at Russian Embassy' }, claim: 'delivery' },
        ],
      },
      extraSelect: 'incidents { id } situations { id } organizers { id organizationId role } citations { id sourceId claim }',
      after: async (out) => {
        expect(out.incidents).toEqual([{ id: fx.incident }]);
        expect(out.situations).toEqual([{ id: fx.situation }]);
        expect(out.organizers.map((o: any) => [o.organizationId, o.role]).sort()).toEqual(
          [[fx.organization, 'ORGANIZER'], [fx.organization2, 'PARTNER']].sort(),
        );
        expect(out.citations).toHaveLength(2);
        const newSource = out.citations.map((c: any) => c.sourceId).find((id: string) => id !== fx.source);
        const [ri] = await t.dataSource.query(`SELECT id FROM response_incident WHERE response_id = $1`, [out.id]);
        const [rs] = await t.dataSource.query(`SELECT id FROM response_situation WHERE response_id = $1`, [out.id]);
        for (const [table, type, entity, id] of [
          ['source', 'SOURCE', 'Source', newSource],
          ['response_incident', 'RESPONSE_INCIDENT', 'ResponseIncident', ri.id],
          ['response_situation', 'RESPONSE_SITUATION', 'ResponseSituation', rs.id],
          ...out.organizers.map((o: any) => ['response_organizer', 'RESPONSE_ORGANIZER', 'ResponseOrganizer', o.id]),
          ...out.citations.map((c: any) => ['citation', 'CITATION', 'Citation', c.id]),
        ]) {
          await expectWritten({ table, type, entity, mutation: 'createAdvocacyResponse' }, id, 1, 'CREATE');
        }
      },
    },
  }),
  {
    mutation: 'linkResponse',
    inputType: 'ResponseLinksInput',
    kind: 'links',
    table: 'advocacy_response',
    type: 'ADVOCACY_RESPONSE',
    entity: 'AdvocacyResponse',
    valid: {
      responseId: '@response',
      incidentIds: ['@incident'],
      situationIds: ['@situation'],
      organizers: [{ organizationId: '@organization', role: 'PARTNER' }],
      reason: 'the rally answered the abductions',
    },
    rules: [
      ...refRules('responseId', 'response', 'AdvocacyResponse'),
      ...refRules('incidentIds', 'incident', 'Incident', (id) => [id], 'incidentIds[0]'),
      ...refRules('situationIds', 'situation', 'Situation', (id) => [id], 'situationIds[0]'),
      ...refRules('organizers', 'organization', 'Organization', (id) => [{ organizationId: id }], 'organizers[0].organizationId'),
      rule('a malformed responseId', { responseId: 'not-an-id' }, { responseId: /UUID/ }),
      tooLong('reason', TEXT.REASON),
    ],
    refusals: [refusal('an unknown organizer role (SPONSOR)', { organizers: [{ organizationId: '@organization', role: 'SPONSOR' }] })],
  },
  {
    mutation: 'unlinkResponse',
    inputType: 'ResponseLinksInput',
    kind: 'links',
    table: 'advocacy_response',
    type: 'ADVOCACY_RESPONSE',
    entity: 'AdvocacyResponse',
    valid: {
      responseId: '@linked',
      incidentIds: ['@incident'],
      situationIds: ['@situation'],
      organizers: [{ organizationId: '@organization' }],
      reason: 'linked by mistake',
    },
    rules: [
      ...refRules('responseId', 'response', 'AdvocacyResponse'),
      ...refRules('incidentIds', 'incident', 'Incident', (id) => [id], 'incidentIds[0]'),
      ...refRules('organizers', 'organization', 'Organization', (id) => [{ organizationId: id }], 'organizers[0].organizationId'),
      rule('a malformed situation id', { situationIds: ['not-an-id'] }, { 'situationIds[0]': /UUID/ }),
      tooLong('reason', TEXT.REASON),
      // The last link named is not there, after the others were removed: all of it is undone.
      rule('a link that does not exist, named last', { incidentIds: ['@incident', '@incident2'] }, { 'incidentIds[1]': /not linked/ }, { alone: true }),
      rule('an organizer link with another role', { organizers: [{ organizationId: '@organization', role: 'BENEFICIARY' }] }, { 'organizers[0]': /not linked/ }, { alone: true }),
    ],
    refusals: [refusal('an unknown organizer role (SPONSOR)', { organizers: [{ organizationId: '@organization', role: 'SPONSOR' }] })],
  },
];

function withoutReason(input: Input): Input {
  const { reason: _reason, ...rest } = input;
  return rest;
}

// ---------------------------------------------------------------------------------------------
// Running the table.
// ---------------------------------------------------------------------------------------------

let t: TestApp;
let editorId: string;

const RECORD_TABLES = [
  'incident',
  'situation',
  'person',
  'involvement',
  'source',
  'citation',
  'organization',
  'advocacy_response',
  'response_organizer',
  'response_incident',
  'response_situation',
];

/** Rows (and the sum of versions, which any update or soft delete raises) of every record table,
 * and the rows of the history and the audit log. */
async function counts(): Promise<Record<string, string>> {
  const rows: { t: string; n: number; v: number }[] = await t.dataSource.query(
    [
      ...RECORD_TABLES.map((table) => `SELECT '${table}' AS t, count(*)::int AS n, coalesce(sum(version), 0)::int AS v FROM ${table}`),
      `SELECT 'revision', count(*)::int, 0 FROM revision`,
      // Writes only: reading a record above PUBLIC back is audited as a READ (docs/access.md).
      `SELECT 'audit_event', count(*)::int, 0 FROM audit_event WHERE action <> 'READ'`,
    ].join(' UNION ALL '),
  );
  return Object.fromEntries(rows.map((r) => [r.t, `${r.n} rows, versions ${r.v}`]));
}

/** `send()` writes nothing at all: the row counts of every table are the same before and after. */
async function expectNothingWritten(send: () => Promise<Gql>): Promise<Gql> {
  const before = await counts();
  const res = await send();
  expect(res.status).toBeLessThan(500);
  expect(await counts()).toEqual(before);
  return res;
}

/** One BAD_USER_INPUT error whose problems name exactly `expected`'s paths, each with a message
 * matching its pattern. */
function expectProblems(res: Gql, expected: Record<string, RegExp>): void {
  expect(res.body.errors).toHaveLength(1);
  const [error] = res.body.errors!;
  expect(error.extensions?.code).toBe('BAD_USER_INPUT');
  const problems = error.extensions!.problems as { path: string; message: string }[];
  expect([...new Set(problems.map((p) => p.path))].sort()).toEqual(Object.keys(expected).sort());
  for (const [path, pattern] of Object.entries(expected)) {
    expect({ path, messages: problems.filter((p) => p.path === path).map((p) => p.message).join(' | ') }).toEqual({
      path,
      messages: expect.stringMatching(pattern),
    });
  }
}

/** One error with `code` and no data; its extensions. */
function expectError(res: Gql, code: string, message = /./): Record<string, any> {
  expect(res.body.errors).toHaveLength(1);
  expect(res.body.errors![0]).toMatchObject({ message: expect.stringMatching(message), extensions: { code } });
  expect(Object.values(res.body.data ?? {}).filter((v) => v !== null)).toEqual([]);
  return res.body.errors![0].extensions!;
}

/** The record's row at `version`, its revision and its audit entry naming the editor. */
async function expectWritten(
  e: { table: string; type: string; entity: string; mutation: string },
  id: string,
  version: number,
  action: 'CREATE' | 'UPDATE' | 'DELETE',
): Promise<void> {
  expect(await t.dataSource.query(`SELECT version FROM ${e.table} WHERE id = $1`, [id])).toEqual([{ version }]);
  const revisions = await t.dataSource.query(
    `SELECT action::text, account_id FROM revision WHERE subject_type = $1 AND subject_id = $2 AND version = $3`,
    [e.type, id, version],
  );
  expect(revisions).toEqual([{ action, account_id: editorId }]);
  const audit = await t.dataSource.query(
    `SELECT action::text, subject_type, account_id FROM audit_event WHERE subject_id = $1 AND operation = $2 AND action = $3`,
    [id, `Mutation.${e.mutation}`, action],
  );
  expect(audit).toEqual([{ action, subject_type: e.entity, account_id: editorId }]);
}

const documentOf = (e: Entry, select: string) => `mutation($input: ${e.inputType}!) { ${e.mutation}(input: $input) { ${select} } }`;

async function make(mutation: string, inputType: string, input: Input): Promise<{ id: string; version: number }> {
  const { body } = await t.gql(`mutation($input: ${inputType}!) { ${mutation}(input: $input) { id version } }`, { input: resolve(input) }, Role.EDITOR);
  if (body.errors) throw new Error(`${mutation}: ${JSON.stringify(body.errors)}`);
  return body.data![mutation];
}

async function freshPerson(pseudonym = 'Victim C'): Promise<string> {
  return (await make('createPerson', 'CreatePersonInput', { pseudonym })).id;
}

async function softDelete(type: string, record: { id: string; version: number }): Promise<string> {
  const { body } = await t.gql(`mutation($input: RecordVersionInput!) { deleteRecord(input: $input) { id } }`, { input: { type, id: record.id, version: record.version } }, Role.EDITOR);
  if (body.errors) throw new Error(JSON.stringify(body.errors));
  return record.id;
}

/** The input of a request: the valid one with `patch` (and, for updates, `top`) applied. */
function inputOf(e: Entry, target: { id: string; version: number } | null, patch: Input = {}, top: Input = {}): Input {
  if (e.kind !== 'update') return resolve(apply(e.valid, patch));
  return resolve(apply({ id: target!.id, version: target!.version, changes: apply(e.valid, patch), reason: 'editing test' }, top));
}

/** The problems of `rules` with their full paths. */
function absolute(e: Entry, r: Rule): Record<string, RegExp> {
  const prefix = e.kind === 'update' && !r.top ? 'input.changes.' : 'input.';
  return Object.fromEntries(Object.entries(r.problems).map(([p, m]) => [prefix + p, m]));
}

/** As many rules as can hold at once, as one patch: one rule per field, except that list items are
 * appended (their paths shifted to their new places). */
function combine(e: Entry): { patch: Input; top: Input; problems: Record<string, RegExp>; names: string[] } {
  const patch: Input = {};
  const top: Input = {};
  const problems: Record<string, RegExp> = {};
  const names: string[] = [];
  for (const r of e.rules.filter((x) => !x.alone && !x.bug)) {
    const into = r.top ? top : patch;
    const offsets: Record<string, number> = {};
    let clash = false;
    for (const [k, v] of Object.entries(r.patch)) {
      if (!(k in into)) continue;
      if (Array.isArray(v) && Array.isArray(into[k])) offsets[k] = (into[k] as unknown[]).length;
      else clash = true;
    }
    const shift = (path: string) =>
      Object.entries(offsets).reduce((p, [k, n]) => p.replace(new RegExp(`\\.${k}\\[(\\d+)\\]`), (_s, i: string) => `.${k}[${Number(i) + n}]`), path);
    const own = Object.fromEntries(Object.entries(absolute(e, r)).map(([p, m]) => [shift(p), m]));
    if (clash || Object.keys(own).some((p) => p in problems)) continue;
    for (const [k, v] of Object.entries(r.patch)) into[k] = k in offsets ? [...(into[k] as unknown[]), ...(v as unknown[])] : v;
    Object.assign(problems, own);
    names.push(r.name);
  }
  return { patch, top, problems, names };
}

describe('create and update mutations', () => {
  beforeAll(async () => {
    t = await startTestApp();
    editorId = await t.accountIdFor(Role.EDITOR);
    await t.tokenFor(Role.RESEARCHER); // its account is made (and audited) here, not in a refused request
    const org = (name: string, kind = 'NGO') => make('createOrganization', 'CreateOrganizationInput', { name, kind, regionCode: 'GB' });
    fx.organization = (await org('Stonewall')).id;
    fx.organization2 = (await org('Amnesty International UK')).id;
    fx.media = (await org('Gay Star News', 'MEDIA')).id;
    const situation = { name: 'Persecution of LGBT people in Chechnya', date: { edtf: '2017-02/..' }, regionCode: 'RU-CE' };
    fx.situation = (await make('createSituation', 'CreateSituationInput', situation)).id;
    const incidentInput = { kind: 'DETENTION', headline: 'New wave in Chechnya: 40 people rounded up', date: { edtf: '2018-12~' }, regionCode: 'RU-CE', confidentiality: 'RESTRICTED' };
    fx.incident = (await make('createIncident', 'CreateIncidentInput', incidentInput)).id;
    fx.incident2 = (await make('createIncident', 'CreateIncidentInput', { ...incidentInput, headline: 'Detentions in Argun' })).id;
    const sourceInput = { kind: 'NGO_REPORT', publisher: 'Stonewall', title: 'Day of action on Chechnya', published: { edtf: '2017-06-02' }, confidentiality: 'PUBLIC' };
    fx.source = (await make('createSource', 'CreateSourceInput', sourceInput)).id;
    fx.person = await freshPerson('Witness W');
    const responseInput = { kind: 'PROTEST', title: 'We Exist protest at the Russian Embassy in London', date: { edtf: '2017-06-02' }, regionCode: 'GB-ENG', confidentiality: 'RESTRICTED' };
    fx.response = (await make('createAdvocacyResponse', 'CreateAdvocacyResponseInput', responseInput)).id;
    fx.linked = (
      await make('createAdvocacyResponse', 'CreateAdvocacyResponseInput', {
        ...responseInput,
        incidentIds: ['@incident'],
        situationIds: ['@situation'],
        organizers: [{ organizationId: '@organization' }],
      })
    ).id;
    // Deleted records of every kind a reference may name.
    fx['gone.situation'] = await softDelete('SITUATION', await make('createSituation', 'CreateSituationInput', { ...situation, name: 'Merged into another situation' }));
    fx['gone.incident'] = await softDelete('INCIDENT', await make('createIncident', 'CreateIncidentInput', { ...incidentInput, headline: 'Duplicate report' }));
    fx['gone.source'] = await softDelete('SOURCE', await make('createSource', 'CreateSourceInput', { ...sourceInput, title: 'Retracted' }));
    fx['gone.person'] = await softDelete('PERSON', { id: await freshPerson('Duplicate person'), version: 1 });
    fx['gone.organization'] = await softDelete('ORGANIZATION', await org('Closed organization'));
    fx['gone.response'] = await softDelete('ADVOCACY_RESPONSE', await make('createAdvocacyResponse', 'CreateAdvocacyResponseInput', { ...responseInput, title: 'Cancelled' }));
  });
  afterAll(() => t?.close());

  for (const e of ENTRIES) {
    describe(e.mutation, () => {
      /** For updates: the record the failing requests name (never changed by them). */
      let target: { id: string; version: number } | null = null;
      const seed = async () => (e.seed ? make(e.seed.mutation, e.seed.inputType, await e.seed.input()) : null);
      beforeAll(async () => {
        target = await seed();
      });

      if (e.kind !== 'links') {
        it(`${e.kind === 'create' ? 'creates' : 'changes'} the record, its revision and its audit entry`, async () => {
          const record = await seed();
          const input = inputOf(e, record);
          const sent = withoutLinks(e.kind === 'update' ? (input.changes as Input) : input);
          const expected = merge(sent, resolve(e.stored ?? {}));
          const select = ['id version', selectionOf(expected), e.extraSelect ?? ''].join(' ');
          const res = await t.gql(documentOf(e, select), { input }, Role.EDITOR);
          expect(res.body.errors).toBeUndefined();
          const out = res.body.data![e.mutation];
          expect(out).toMatchObject(expected);
          const version = e.kind === 'create' ? 1 : record!.version + 1;
          expect(out.version).toBe(version);
          if (record) expect(out.id).toBe(record.id);
          await expectWritten(e, out.id, version, e.kind === 'create' ? 'CREATE' : 'UPDATE');
          await e.after?.(out);
        });
      }

      describe('refuses bad input, naming every bad field, and writes nothing', () => {
        for (const r of e.rules) {
          (r.bug ? it.failing : it)(r.bug ? `${r.name} (KNOWN BUG: ${r.bug})` : r.name, async () => {
            const input = e.kind === 'update' && r.top ? inputOf(e, target, {}, r.patch) : inputOf(e, target, r.patch);
            const res = await expectNothingWritten(() => t.gql(documentOf(e, 'id'), { input }, Role.EDITOR));
            expectProblems(res, absolute(e, r));
          });
        }

        it('all of them at once, in one error', async () => {
          const all = combine(e);
          expect(all.names.length).toBeGreaterThan(1);
          const res = await expectNothingWritten(() => t.gql(documentOf(e, 'id'), { input: inputOf(e, target, all.patch, all.top) }, Role.EDITOR));
          expectProblems(res, all.problems);
        });

        if (e.refusals.length) {
          it.each(e.refusals.map((r) => [r.name, r] as const))('%s (refused by GraphQL itself)', async (_name, r) => {
            const res = await expectNothingWritten(() => t.gql(documentOf(e, 'id'), { input: inputOf(e, target, r.patch) }, Role.EDITOR));
            expect(res.body.errors?.length).toBeGreaterThan(0);
            expect(Object.values(res.body.data ?? {}).filter((v) => v !== null)).toEqual([]);
          });
        }
      });

      if (e.kind === 'update') {
        it('refuses a stale version with CONFLICT and the current version, writing nothing', async () => {
          const record = (await seed())!;
          const first = await t.gql(documentOf(e, 'version'), { input: inputOf(e, record) }, Role.EDITOR);
          expect(first.body.data![e.mutation].version).toBe(record.version + 1);
          const res = await expectNothingWritten(() => t.gql(documentOf(e, 'version'), { input: inputOf(e, record) }, Role.EDITOR));
          expect(expectError(res, 'CONFLICT')).toMatchObject({ currentVersion: record.version + 1, givenVersion: record.version });
        });
      }

      it.each([Role.RESEARCHER, Role.PUBLIC])('is refused to %s (FORBIDDEN), writing nothing', async (role) => {
        const res = await expectNothingWritten(() => t.gql(documentOf(e, 'id'), { input: inputOf(e, target) }, role));
        expect(expectError(res, 'FORBIDDEN')).toMatchObject({ requiredRole: 'EDITOR' });
      });
    });
  }

  describe('conflicts and rollback of multi-row writes', () => {
    const CREATE_INCIDENT = `mutation($input: CreateIncidentInput!) { createIncident(input: $input) { id } }`;
    const CREATE_RESPONSE = `mutation($input: CreateAdvocacyResponseInput!) { createAdvocacyResponse(input: $input) { id organizers { organizationId role } } }`;
    const CREATE_INVOLVEMENT = `mutation($input: CreateInvolvementInput!) { createInvolvement(input: $input) { id } }`;

    it('createIncident: the same person twice in the same role, last, fails in the database and nothing of the request is written', async () => {
      const input = resolve({
        ...incident,
        citations: [{ sourceId: '@source', excerpt: 'over 100 men' }, { source: withoutReason(source), claim: 'place' }],
        involvements: [
          { person: { pseudonym: 'Victim D' }, role: 'VICTIM' },
          { personId: '@person', role: 'VICTIM' },
          { personId: '@person', role: 'VICTIM', description: 'the same part again' },
        ],
      });
      const res = await expectNothingWritten(() => t.gql(CREATE_INCIDENT, { input }, Role.EDITOR));
      expectError(res, 'CONFLICT', /already exists/);
    });

    it('createAdvocacyResponse: a failure of its last row (a citation) leaves nothing of the response, its links, organizers or new source', async () => {
      // No rule of the input makes a response's last row fail in the database (identical
      // organizers are written once, see below), so this test's own database refuses it.
      await t.dataSource.query(`CREATE FUNCTION vigil_test_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
        BEGIN RAISE unique_violation USING MESSAGE = 'refused by the test'; END $$`);
      await t.dataSource.query(`CREATE TRIGGER vigil_test_refuse BEFORE INSERT ON citation FOR EACH ROW
        WHEN (NEW.locator = 'refuse me') EXECUTE FUNCTION vigil_test_refuse()`);
      try {
        const input = resolve({
          ...response,
          incidentIds: ['@incident', '@incident2'],
          situationIds: ['@situation'],
          organizers: [{ organizationId: '@organization' }, { organizationId: '@organization2', role: 'PARTNER' }],
          citations: [
            { source: { ...withoutReason(source), title: 'A new source, written before the failure' }, claim: 'signatures' },
            { sourceId: '@source', locator: 'refuse me' },
          ],
        });
        const res = await expectNothingWritten(() => t.gql(CREATE_RESPONSE, { input }, Role.EDITOR));
        expectError(res, 'CONFLICT');
      } finally {
        await t.dataSource.query(`DROP TRIGGER vigil_test_refuse ON citation; DROP FUNCTION vigil_test_refuse()`);
      }
    });

    it('createAdvocacyResponse: the same organizer twice in the same role is one organizer', async () => {
      const input = resolve({ ...response, organizers: [{ organizationId: '@organization2' }, { organizationId: '@organization2', role: 'ORGANIZER' }] });
      const res = await t.gql(CREATE_RESPONSE, { input }, Role.EDITOR);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!.createAdvocacyResponse.organizers).toEqual([{ organizationId: fx.organization2, role: 'ORGANIZER' }]);
    });

    it('createInvolvement: a person\'s part already recorded is a CONFLICT, writing nothing', async () => {
      const input = resolve(involvementOf(await freshPerson()));
      expect((await t.gql(CREATE_INVOLVEMENT, { input }, Role.EDITOR)).body.errors).toBeUndefined();
      const res = await expectNothingWritten(() => t.gql(CREATE_INVOLVEMENT, { input }, Role.EDITOR));
      expectError(res, 'CONFLICT', /already exists/);
    });
  });

  describe('linkResponse and unlinkResponse', () => {
    const RESPONSE = `id version incidents { id } situations { id } organizers { id organizationId role }`;
    const LINK = `mutation($input: ResponseLinksInput!) { linkResponse(input: $input) { ${RESPONSE} } }`;
    const UNLINK = `mutation($input: ResponseLinksInput!) { unlinkResponse(input: $input) { ${RESPONSE} } }`;
    const links = async (responseId: string) =>
      t.dataSource.query(
        `SELECT 'RESPONSE_INCIDENT' AS type, id, version, deleted_at IS NOT NULL AS deleted FROM response_incident WHERE response_id = $1
         UNION ALL SELECT 'RESPONSE_SITUATION', id, version, deleted_at IS NOT NULL FROM response_situation WHERE response_id = $1
         UNION ALL SELECT 'RESPONSE_ORGANIZER', id, version, deleted_at IS NOT NULL FROM response_organizer WHERE response_id = $1 ORDER BY 1`,
        [responseId],
      ) as Promise<{ type: string; id: string; version: number; deleted: boolean }[]>;
    const entityOf: Record<string, [string, string]> = {
      RESPONSE_INCIDENT: ['response_incident', 'ResponseIncident'],
      RESPONSE_SITUATION: ['response_situation', 'ResponseSituation'],
      RESPONSE_ORGANIZER: ['response_organizer', 'ResponseOrganizer'],
    };
    const newResponse = () => make('createAdvocacyResponse', 'CreateAdvocacyResponseInput', withoutReason(response));

    it('links a response to what it answers and who organizes it, each link with its revision and audit entry; linking again writes nothing', async () => {
      const { id, version } = await newResponse();
      const input = resolve({ ...ENTRIES.find((x) => x.mutation === 'linkResponse')!.valid, responseId: id });
      const res = await t.gql(LINK, { input }, Role.EDITOR);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!.linkResponse).toMatchObject({
        id,
        version, // the response itself is unchanged
        incidents: [{ id: fx.incident }],
        situations: [{ id: fx.situation }],
        organizers: [{ organizationId: fx.organization, role: 'PARTNER' }],
      });
      const written = await links(id);
      expect(written.map((l) => [l.type, l.version, l.deleted])).toEqual([
        ['RESPONSE_INCIDENT', 1, false],
        ['RESPONSE_ORGANIZER', 1, false],
        ['RESPONSE_SITUATION', 1, false],
      ]);
      for (const l of written) {
        const [table, entity] = entityOf[l.type];
        await expectWritten({ table, type: l.type, entity, mutation: 'linkResponse' }, l.id, 1, 'CREATE');
      }
      await expectNothingWritten(() => t.gql(LINK, { input }, Role.EDITOR));
    });

    // A link is a record of its own: changing one leaves the response as it was. Were the response's
    // updatedAt to move, a public reader would learn that a link they cannot see was made or removed.
    it('leaves the response as a public reader sees it (updatedAt, version, updatedSince) when a hidden link changes', async () => {
      const response = await make('createAdvocacyResponse', 'CreateAdvocacyResponseInput', {
        kind: 'STATEMENT', title: 'Public statement', date: { edtf: '2021-05' }, confidentiality: 'PUBLIC', citations: [{ sourceId: '@source', claim: 'the statement' }],
      });
      const hidden = await make('createIncident', 'CreateIncidentInput', {
        kind: 'DETENTION', headline: 'Confidential detention', date: { edtf: '2021-05' }, regionCode: 'RU-CE', confidentiality: 'CONFIDENTIAL',
      });
      const READ = `query($id: ID!, $since: DateTime!) {
        advocacyResponse(id: $id) { version updatedAt incidents { id } }
        advocacyResponses(filter: { updatedSince: $since }, first: 100) { edges { node { id } } } }`;
      const seen = async (since: string) => {
        const res = await t.gql<any>(READ, { id: response.id, since }, Role.PUBLIC);
        expect(res.body.errors).toBeUndefined();
        return { ...res.body.data.advocacyResponse, listed: res.body.data.advocacyResponses.edges.some((e: any) => e.node.id === response.id) };
      };
      const before = await seen('2000-01-01T00:00:00Z');
      const after = new Date(Date.parse(before.updatedAt) + 1).toISOString();
      const input = { responseId: response.id, incidentIds: [hidden.id] };
      for (const query of [LINK, UNLINK]) {
        expect((await t.gql(query, { input }, Role.EDITOR)).body.errors).toBeUndefined();
        expect(await seen(after)).toEqual({ ...before, listed: false });
      }
    });

    it('unlinks (soft-deletes) each named link with its revision and audit entry, and links it again afterwards', async () => {
      const { id } = await newResponse();
      const input = resolve({ ...ENTRIES.find((x) => x.mutation === 'unlinkResponse')!.valid, responseId: id });
      expect((await t.gql(LINK, { input }, Role.EDITOR)).body.errors).toBeUndefined();
      const res = await t.gql(UNLINK, { input }, Role.EDITOR);
      expect(res.body.errors).toBeUndefined();
      expect(res.body.data!.unlinkResponse).toMatchObject({ id, incidents: [], situations: [], organizers: [] });
      const removed = await links(id);
      expect(removed.map((l) => [l.type, l.version, l.deleted])).toEqual([
        ['RESPONSE_INCIDENT', 2, true],
        ['RESPONSE_ORGANIZER', 2, true],
        ['RESPONSE_SITUATION', 2, true],
      ]);
      for (const l of removed) {
        const [table, entity] = entityOf[l.type];
        await expectWritten({ table, type: l.type, entity, mutation: 'unlinkResponse' }, l.id, 2, 'DELETE');
      }
      const again = await t.gql(LINK, { input }, Role.EDITOR);
      expect(again.body.errors).toBeUndefined();
      expect(again.body.data!.linkResponse.incidents).toEqual([{ id: fx.incident }]);
    });
  });
});

/** The fields of an input that the record returns as they were sent (links and nested records are
 * checked on their own). */
function withoutLinks(input: Input): Input {
  const { reason: _r, citations: _c, involvements: _i, responseIds: _ri, incidentIds: _ii, situationIds: _si, organizers: _o, ...rest } = input;
  return rest;
}
