import { DataSource, DeepPartial, EntityTarget, ObjectLiteral } from 'typeorm';
import { AccessLevel } from '../../src/access/access-level';
import { CountBasis, CountEstimate } from '../../src/common/count-estimate';
import { VerificationStatus } from '../../src/common/vocabularies';
import { DateWithPrecision } from '../../src/dates/date-with-precision';
import { parseEdtf } from '../../src/dates/edtf';
import { IncidentKind } from '../../src/incidents/incident-kind';
import { Incident } from '../../src/incidents/incident.entity';
import { Organization, OrganizationKind } from '../../src/organizations/organization.entity';
import { AdvocacyResponse, ResponseKind } from '../../src/responses/advocacy-response.entity';
import { ResponseIncident, ResponseOrganizer } from '../../src/responses/response-links.entity';
import { Situation } from '../../src/situations/situation.entity';
import { Citation } from '../../src/sources/citation.entity';
import { Source, SourceKind } from '../../src/sources/source.entity';

export const date = (edtf: string) => Object.assign(new DateWithPrecision(), parseEdtf(edtf), { asReported: null });
export const count = (parts: Partial<CountEstimate> = {}) =>
  Object.assign(new CountEstimate(), { atLeast: null, best: null, atMost: null, basis: null, asReported: null }, parts);

/** Incidents whose every filterable property is known, named for the tests:
 * - abductions: RU-CE, 2017-04 (month), ABDUCTION, CORROBORATED, victims "at least 100", deaths unknown,
 *   cited by two Novaya Gazeta articles and one HRW report (2 independent sources), answered by a petition;
 * - killing: RU-CE, 2017-05-03, KILLING, VERIFIED, victims 3, deaths 2, one Novaya Gazeta source, a protest;
 * - prison: RU-CE, 2017-04/2017-06, TORTURE, victims 30-40, deaths 0, HRW, answered by the petition;
 * - moscow: RU-MOW, 2018 (year), DETENTION, REPORTED, victims 10-20, HRW with a word only its excerpt holds;
 *   answered only by a CONFIDENTIAL statement (so "no response" for the public);
 * - london: GB-LND, 2019-01-15, THREAT, DISPUTED, victims 1, no source, no response;
 * - hidden: CONFIDENTIAL, RU-CE, 2017-04-20, TORTURE, victims 50.
 * The abductions are also cited by a CONFIDENTIAL testimony whose excerpt holds "quokka". */
export async function buildResearchFixture(ds: DataSource) {
  const save = <T extends ObjectLiteral>(entity: EntityTarget<T>, values: DeepPartial<T>) =>
    ds.getRepository(entity).save(ds.getRepository(entity).create(values)) as Promise<T>;
  const situation = await save(Situation, { name: 'Chechnya purge', description: null, date: date('2017-04/..'), regionCode: 'RU-CE' });
  const incident = (values: DeepPartial<Incident>): Promise<Incident> =>
    save<Incident>(Incident, {
      description: null, locality: null, perpetratorDescription: null, victims: count(), deaths: count(),
      verificationStatus: VerificationStatus.REPORTED, situationId: null, ...values,
    });
  const i = {
    abductions: await incident({
      kind: IncidentKind.ABDUCTION, headline: 'Mass abductions of gay men in Grozny', regionCode: 'RU-CE', date: date('2017-04'),
      description: 'Over 100 men were abducted and held in a secret prison.', perpetratorDescription: 'Chechen police',
      victims: count({ atLeast: 100, basis: CountBasis.ESTIMATED, asReported: 'over 100 men' }),
      verificationStatus: VerificationStatus.CORROBORATED, situationId: situation.id,
    }),
    killing: await incident({
      kind: IncidentKind.KILLING, headline: 'Two men killed in Argun', regionCode: 'RU-CE', date: date('2017-05-03'),
      perpetratorDescription: 'Kadyrov security forces', victims: count({ best: 3 }), deaths: count({ best: 2, atLeast: 2, atMost: 2 }),
      verificationStatus: VerificationStatus.VERIFIED, situationId: situation.id,
    }),
    prison: await incident({
      kind: IncidentKind.TORTURE_OR_ILL_TREATMENT, headline: 'Torture in a secret prison', regionCode: 'RU-CE', date: date('2017-04/2017-06'),
      description: 'Detainees were beaten with electric shocks.', victims: count({ atLeast: 30, atMost: 40 }), deaths: count({ best: 0 }),
      verificationStatus: VerificationStatus.CORROBORATED,
    }),
    moscow: await incident({
      kind: IncidentKind.DETENTION, headline: 'Protesters detained in Moscow', regionCode: 'RU-MOW', date: date('2018'),
      victims: count({ atLeast: 10, atMost: 20 }), deaths: count({ best: 0 }),
    }),
    london: await incident({
      kind: IncidentKind.THREAT_OR_HARASSMENT, headline: 'Threats against activists in London', regionCode: 'GB-LND', date: date('2019-01-15'),
      victims: count({ best: 1 }), verificationStatus: VerificationStatus.DISPUTED,
    }),
    hidden: await incident({
      kind: IncidentKind.TORTURE_OR_ILL_TREATMENT, headline: 'Unpublished torture testimony', regionCode: 'RU-CE', date: date('2017-04-20'),
      victims: count({ best: 50 }), confidentiality: AccessLevel.CONFIDENTIAL,
    }),
  };
  const source = (publisher: string, kind: SourceKind, title: string, extra: DeepPartial<Source> = {}): Promise<Source> =>
    save<Source>(Source, { kind, publisher, title, author: null, url: null, published: date('2017-06'), language: 'en', archivedUrl: null, contentHash: null, ...extra });
  const s = {
    novaya1: await source('Novaya Gazeta', SourceKind.NEWS_REPORT, 'Murder of honour', { published: date('2017-04-01') }),
    novaya2: await source('Novaya Gazeta', SourceKind.NEWS_REPORT, 'Follow-up report', { published: date('2017-05') }),
    hrw: await source('Human Rights Watch', SourceKind.NGO_REPORT, 'They have long arms', { published: date('2017-05-26') }),
    testimony: await source('Witness collective', SourceKind.TESTIMONY, 'Unpublished testimony', { confidentiality: AccessLevel.CONFIDENTIAL }),
  };
  const cite = (sourceId: string, incidentId: string, excerpt: string) => save(Citation, { sourceId, incidentId, excerpt, claim: null, locator: null });
  await cite(s.novaya1.id, i.abductions.id, 'Over a hundred men suspected of being gay were detained.');
  await cite(s.novaya2.id, i.abductions.id, 'More detentions were reported.');
  await cite(s.hrw.id, i.abductions.id, 'Men were held in an unofficial detention facility.');
  await cite(s.testimony.id, i.abductions.id, 'The quokka cell was in the basement.');
  await cite(s.novaya1.id, i.killing.id, 'Two bodies were returned to their families.');
  await cite(s.hrw.id, i.prison.id, 'Survivors described beatings.');
  await cite(s.hrw.id, i.moscow.id, 'Police used a zephyrine van to take them away.');

  const amnesty = await save(Organization, { name: 'Amnesty International', kind: OrganizationKind.NGO, regionCode: 'GB', description: null, website: null });
  const response = async (kind: ResponseKind, title: string, edtf: string, incidents: Incident[], extra: DeepPartial<AdvocacyResponse> = {}) => {
    const r = await save<AdvocacyResponse>(AdvocacyResponse, {
      kind, title, date: date(edtf), regionCode: 'GB', signatures: count(), participants: count(), description: null, venue: null,
      target: null, outcome: null, url: null, organizersDescription: null, ...extra,
    });
    for (const incident of incidents) await save(ResponseIncident, { responseId: r.id, incidentId: incident.id });
    return r;
  };
  const r = {
    petition: await response(ResponseKind.PETITION, 'Stop the abductions petition', '2017-04-20', [i.abductions, i.prison], {
      description: 'A petition signed by 177,000 people.',
    }),
    protest: await response(ResponseKind.PROTEST, 'Vigil at the embassy', '2017-06-02', [i.killing]),
    hiddenStatement: await response(ResponseKind.STATEMENT, 'Private letter to officials', '2018-03', [i.moscow], {
      confidentiality: AccessLevel.CONFIDENTIAL,
    }),
  };
  await save(ResponseOrganizer, { responseId: r.petition.id, organizationId: amnesty.id });
  return { situation, i, s, r, amnesty };
}

export type ResearchFixture = Awaited<ReturnType<typeof buildResearchFixture>>;
