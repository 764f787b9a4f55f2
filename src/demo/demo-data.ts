import { DataSource, DeepPartial, EntityTarget, ObjectLiteral } from 'typeorm';
import { CountBasis, CountEstimate } from '../common/count-estimate';
import { LocationPrecision, VerificationStatus } from '../common/vocabularies';
import { DateWithPrecision } from '../dates/date-with-precision';
import { parseEdtf } from '../dates/edtf';
import { Incident } from '../incidents/incident.entity';
import { IncidentKind } from '../incidents/incident-kind';
import { Organization, OrganizationKind } from '../organizations/organization.entity';
import { AdvocacyResponse, ResponseKind } from '../responses/advocacy-response.entity';
import { OrganizerRole, ResponseIncident, ResponseOrganizer, ResponseSituation } from '../responses/response-links.entity';
import { Situation } from '../situations/situation.entity';
import { Citation } from '../sources/citation.entity';
import { Attribution, Source, SourceKind, SourceReliability } from '../sources/source.entity';
import { StoredTranslation, TranslationMethod } from '../common/translations';

/* Demo data built from the two reports in ../shared/seeds (see docs/demo-data.md): the facts they
 * report, each cited to its report with a short excerpt. Where a report leaves something out (the
 * year, the publisher) the record says it was inferred rather than pretending to know. */

function date(edtf: string, asReported: string | null = null): DateWithPrecision {
  return Object.assign(new DateWithPrecision(), parseEdtf(edtf), { asReported });
}

function count(parts: Partial<CountEstimate> = {}): CountEstimate {
  return Object.assign(new CountEstimate(), { atLeast: null, best: null, atMost: null, basis: null, asReported: null }, parts);
}

const UNKNOWN = count();

/** Who made the demo's Russian translations: they were made for the demo, from the English of the
 * records and excerpts, not taken from the sources (docs/demo-data.md). */
export const DEMO_TRANSLATOR = 'Vigil demo data (translated for the demo, not by the sources)';

/** A Russian translation made for the demo. */
function ru(fields: Record<string, string>): StoredTranslation[] {
  return [{ language: 'ru', ...fields, translator: DEMO_TRANSLATOR, method: TranslationMethod.MACHINE } as StoredTranslation];
}

export async function loadDemoData(dataSource: DataSource): Promise<void> {
  await dataSource.transaction(async (em) => {
    const save = <T extends ObjectLiteral>(entity: EntityTarget<T>, values: DeepPartial<T>) =>
      em.getRepository(entity).save(em.getRepository(entity).create(values));
    await build(save);
  });
}

type Save = <T extends ObjectLiteral>(entity: EntityTarget<T>, values: DeepPartial<T>) => Promise<T>;

/** All demo records are PUBLIC: the seed reports name no victim or witness. */
async function build(save: Save): Promise<void> {
  // Organizations
  const stonewall = await save(Organization, {
    name: 'Stonewall', kind: OrganizationKind.NGO, regionCode: 'GB',
    description: 'LGBT rights charity in the United Kingdom.', website: 'https://www.stonewall.org.uk',
  });
  const amnestyUk = await save(Organization, {
    name: 'Amnesty International UK', kind: OrganizationKind.NGO, regionCode: 'GB',
    description: 'United Kingdom section of Amnesty International.', website: 'https://www.amnesty.org.uk',
  });
  const gsn = await save(Organization, {
    name: 'Gay Star News', kind: OrganizationKind.MEDIA, regionCode: 'GB', description: 'LGBTI news website.',
  });
  const russianLgbtNetwork = await save(Organization, {
    name: 'Russian LGBT Network', kind: OrganizationKind.NGO, regionCode: 'RU',
    description: 'Russian LGBT rights organization that helped people escape Chechnya (also written "Russian LGBTI Network").',
  });

  // Sources: the two reports
  const stonewallReport = await save(Source, {
    kind: SourceKind.NGO_REPORT,
    publisher: 'Stonewall',
    publisherAttribution: Attribution.INFERRED,
    attributionNote:
      'The text does not name its publisher; its "What you can do" heading and its quotes suggest Stonewall\'s own site. ' +
      'Published around the protest of Friday 2 June; the year (2017) is inferred: 2 June 2017 was a Friday and the reports it answers date from April 2017.',
    publisherOrganizationId: stonewall.id,
    title: 'We Exist: Stonewall and Amnesty protest at Russian Embassy',
    author: null, url: null,
    published: date('2017-06~', 'Friday (2 June)'),
    language: 'en', reliability: SourceReliability.RELIABLE, archivedUrl: null,
    contentHash: 'sha256:a88edb81f920b28871c68d87d7ba6ec8b8737d997e02ff854aac85045d855417',
  });
  const gsnReport = await save(Source, {
    kind: SourceKind.NEWS_REPORT,
    publisher: 'Gay Star News',
    publisherAttribution: Attribution.STATED,
    attributionNote:
      'The article states no date or year. January 2019 is inferred from its context: the "late December" round-up it reports ' +
      'followed the 2017 purge, and a related-article link on the page names Jeremy Hunt, Foreign Secretary from July 2018.',
    publisherOrganizationId: gsn.id,
    title: 'Londoners rally at Russian embassy demanding end to torture in Chechnya',
    author: null, url: null,
    published: date('2019-01~', null),
    language: 'en', reliability: SourceReliability.FAIRLY_RELIABLE, archivedUrl: null,
    contentHash: 'sha256:375367b9f4cfc940d14ee0cfba168fe4ce256fc07dbafe8c2d455e817aa0e94f',
  });
  const cite = (source: Source, subject: Partial<Citation>, excerpt: string, claim: string, excerptRu?: string) =>
    save(Citation, { sourceId: source.id, excerpt, claim, ...subject, translations: excerptRu ? ru({ excerpt: excerptRu }) : [] });
  const GSN_ROUNDING_UP_RU = 'С апреля 2017 года власти на Северном Кавказе задерживают людей из-за их реальной или предполагаемой сексуальной ориентации.';

  // The pattern of abuse
  const purge = await save(Situation, {
    name: 'Persecution of LGBT people in Chechnya (2017 onwards)',
    description:
      'A coordinated campaign by authorities in the Chechen Republic of rounding up, torturing and killing people based on their real or ' +
      'perceived sexuality, reported from April 2017, pausing under international attention and resuming in new waves.',
    date: date('2017-04/..', 'since April 2017'),
    regionCode: 'RU-CE',
    translations: ru({
      name: 'Преследование ЛГБТ-людей в Чечне (с 2017 года)',
      description:
        'Скоординированная кампания властей Чеченской Республики: задержания, пытки и убийства людей из-за их реальной или предполагаемой ' +
        'сексуальной ориентации; сообщения поступают с апреля 2017 года, кампания затихала под международным вниманием и возобновлялась новыми волнами.',
    }),
  });
  await cite(gsnReport, { situationId: purge.id },
    'Since April 2017, authorities in the northern Caucuses have been rounding up people based on their real or perceived sexuality.',
    'the pattern and its start', GSN_ROUNDING_UP_RU);
  await cite(stonewallReport, { situationId: purge.id },
    'It is believed to be part of a coordinated campaign against the LGBT community.', 'coordinated campaign');

  // Incidents
  const abductions = await save(Incident, {
    kind: IncidentKind.ABDUCTION,
    headline: 'Over 100 men believed to be gay or bisexual abducted in Chechnya',
    description:
      'Credible sources in Russia reported in April 2017 that over 100 men believed to be gay or bisexual had been abducted, tortured or killed ' +
      'in the Chechen Republic. Chechen and Russian authorities initially denied it; a spokesman for the head of the republic denied that LGBT people exist there.',
    date: date('2017-04~', 'In April'),
    regionCode: 'RU-CE', locality: null, latitude: null, longitude: null, locationPrecision: LocationPrecision.REGION,
    victims: count({ atLeast: 100, basis: CountBasis.ESTIMATED, asReported: 'over 100 men' }),
    deaths: count({ asReported: 'abducted, tortured or killed (number of deaths not stated)' }),
    perpetratorDescription: 'Authorities of the Chechen Republic',
    verificationStatus: VerificationStatus.CORROBORATED,
    situationId: purge.id,
    translations: ru({
      headline: 'Более 100 мужчин, которых считали геями или бисексуалами, похищены в Чечне',
      description:
        'В апреле 2017 года достоверные источники в России сообщили, что более 100 мужчин, которых считали геями или бисексуалами, были похищены, ' +
        'подвергнуты пыткам или убиты в Чеченской Республике. Чеченские и российские власти поначалу это отрицали; пресс-секретарь главы республики ' +
        'отрицал, что там вообще есть ЛГБТ-люди.',
    }),
  });
  await cite(stonewallReport, { incidentId: abductions.id },
    'In April, credible sources in Russia reported that over 100 men believed to be gay or bi and been abducted, tortured or killed in the southern Russian republic of Chechnya.',
    'victims, kind, date',
    'В апреле достоверные источники в России сообщили, что более 100 мужчин, которых считали геями или бисексуалами, были похищены, подвергнуты ' +
      'пыткам или убиты в южной российской республике Чечня.');
  await cite(gsnReport, { incidentId: abductions.id },
    'Since April 2017, authorities in the northern Caucuses have been rounding up people based on their real or perceived sexuality.',
    'date, perpetrator', GSN_ROUNDING_UP_RU);

  const torture = await save(Incident, {
    kind: IncidentKind.TORTURE_OR_ILL_TREATMENT,
    headline: 'Torture and killing of men detained for their sexuality in Chechnya',
    description: 'People rounded up for their real or perceived sexuality were tortured and, in some cases, executed.',
    translations: ru({
      headline: 'Пытки и убийства мужчин, задержанных в Чечне из-за их сексуальной ориентации',
      description: 'Людей, задержанных из-за их реальной или предполагаемой сексуальной ориентации, пытали, а в некоторых случаях казнили.',
    }),
    date: date('2017-04/..', 'since April 2017'),
    regionCode: 'RU-CE', locationPrecision: LocationPrecision.REGION,
    victims: UNKNOWN,
    deaths: count({ atLeast: 1, basis: CountBasis.ESTIMATED, asReported: 'in some cases, executed' }),
    perpetratorDescription: 'Authorities of the Chechen Republic',
    verificationStatus: VerificationStatus.CORROBORATED,
    situationId: purge.id,
  });
  await cite(gsnReport, { incidentId: torture.id },
    'They’ve tortured them in the most horrifying ways and in some cases, executed these people because of their sexuality.',
    'torture and killings',
    'Их пытали самыми ужасными способами, а в некоторых случаях казнили из-за их сексуальной ориентации.');
  await cite(stonewallReport, { incidentId: torture.id },
    'abducted, tortured or killed in the southern Russian republic of Chechnya', 'torture and killings');

  const decemberWave = await save(Incident, {
    kind: IncidentKind.DETENTION,
    headline: 'New wave in Chechnya: 40 people rounded up, two tortured to death',
    description:
      'In late December authorities in Chechnya rounded up 40 people and tortured two of them to death. The report gives no year; ' +
      'December 2018 is inferred from its context (a new wave after the 2017 purge, reported at a rally in January 2019).',
    date: date('2018-12~', 'late December'),
    regionCode: 'RU-CE', locationPrecision: LocationPrecision.REGION,
    victims: count({ atLeast: 40, best: 40, atMost: 40, basis: CountBasis.DOCUMENTED, asReported: 'rounded up 40 people' }),
    deaths: count({ atLeast: 2, best: 2, atMost: 2, basis: CountBasis.DOCUMENTED, asReported: 'tortured two of them to death' }),
    perpetratorDescription: 'Authorities in Chechnya',
    verificationStatus: VerificationStatus.REPORTED,
    situationId: purge.id,
    translations: ru({
      headline: 'Новая волна в Чечне: задержаны 40 человек, двое замучены до смерти',
      description:
        'В конце декабря власти Чечни задержали 40 человек и замучили двоих из них до смерти. Год в сообщении не указан; декабрь 2018 года выведен ' +
        'из контекста (новая волна после чистки 2017 года, о которой сообщили на митинге в январе 2019 года).',
    }),
  });
  await cite(gsnReport, { incidentId: decemberWave.id },
    'But in late December, authorities rounded up 40 people and tortured two of them to death.', 'date, victims, deaths',
    'Но в конце декабря власти задержали 40 человек и замучили двоих из них до смерти.');

  // Responses
  const respond = async (
    values: DeepPartial<AdvocacyResponse>,
    links: { incidents?: Incident[]; situations?: Situation[]; organizers?: [Organization, OrganizerRole][] },
    citations: [Source, string, string][],
  ) => {
    const response = await save(AdvocacyResponse, {
      signatures: UNKNOWN, participants: UNKNOWN, description: null, venue: null, target: null, outcome: null, url: null,
      organizersDescription: null, ...values,
    });
    for (const incident of links.incidents ?? []) await save(ResponseIncident, { responseId: response.id, incidentId: incident.id });
    for (const situation of links.situations ?? []) await save(ResponseSituation, { responseId: response.id, situationId: situation.id });
    for (const [organization, role] of links.organizers ?? []) {
      await save(ResponseOrganizer, { responseId: response.id, organizationId: organization.id, role });
    }
    for (const [source, excerpt, claim] of citations) await cite(source, { responseId: response.id }, excerpt, claim);
    return response;
  };

  const june2 = () => date('2017-06-02~', 'Friday (2 June)');
  const weExistLinks = { incidents: [abductions], situations: [purge] };

  await respond(
    {
      kind: ResponseKind.PETITION,
      title: 'Petition calling on Russian authorities to investigate the crackdown in Chechnya',
      translations: ru({ title: 'Петиция с призывом к российским властям расследовать преследования в Чечне' }),
      description: 'Delivered to the Russian Embassy in London during the \'We Exist\' protest.',
      date: june2(), regionCode: 'GB-ENG', venue: 'Russian Embassy, London',
      target: 'Russian authorities',
      signatures: count({ atLeast: 177000, basis: CountBasis.ESTIMATED, asReported: 'More than 177,000' }),
      outcome: 'Russian authorities reportedly opened a preliminary investigation; activists called for a full criminal investigation.',
    },
    { ...weExistLinks, organizers: [[stonewall, OrganizerRole.ORGANIZER], [amnestyUk, OrganizerRole.ORGANIZER]] },
    [
      [stonewallReport, 'More than 177,000-signature petition taken to Russian Embassy', 'signatures, delivery'],
      [stonewallReport, 'The petition calls for Russian authorities to fully investigate disturbing reports of a crackdown on LGBT people in Chechnya.', 'target, demand'],
    ],
  );
  await respond(
    {
      kind: ResponseKind.PROTEST,
      title: '\'We Exist\' protest at the Russian Embassy in London',
      translations: ru({ title: 'Акция «Мы существуем» у посольства России в Лондоне' }),
      description: 'Activists in black \'We Exist\' T-shirts laid a rainbow flag and flowers at the embassy gates.',
      date: june2(), regionCode: 'GB-ENG', venue: 'Russian Embassy, London', target: 'Russian and Chechen authorities',
    },
    { ...weExistLinks, organizers: [[stonewall, OrganizerRole.ORGANIZER], [amnestyUk, OrganizerRole.ORGANIZER]] },
    [[stonewallReport, 'Stonewall UK and Amnesty International UK staged a defiant ‘We Exist’ protest outside the Russian Embassy in London on Friday (2 June).', 'organizers, date, venue']],
  );
  await respond(
    {
      kind: ResponseKind.PROTEST,
      title: '\'We Exist\' protest at the Russian Consulate in Edinburgh',
      date: june2(), regionCode: 'GB-SCT', venue: 'Russian Consulate, central Edinburgh',
      organizersDescription: 'Activists in Scotland', target: 'Russian and Chechen authorities',
    },
    weExistLinks,
    [[stonewallReport, 'Activists in Scotland also staged a ‘We Exist” protest outside the Russian Consulate in central Edinburgh.', 'venue, organizers']],
  );
  const dayOfAction: [string, string][] = [
    ['CA', 'Canada'], ['FI', 'Finland'], ['IT', 'Italy'], ['NL', 'the Netherlands'],
    ['NO', 'Norway'], ['ES', 'Spain'], ['SE', 'Sweden'], ['UA', 'Ukraine'],
  ];
  for (const [code, name] of dayOfAction) {
    await respond(
      {
        kind: ResponseKind.PROTEST,
        title: `Day of action on Chechnya: demonstration in ${name}`,
        description: 'Part of the international day of action of 2 June 2017; the report names the country only.',
        date: june2(), regionCode: code, organizersDescription: 'Not named in the report',
      },
      weExistLinks,
      [[stonewallReport, 'part of an international day of action to highlight the issue with demonstrations taking place in Canada, Finland, Italy, the Netherlands, Norway, Spain, Sweden and the Ukraine', 'country, date']],
    );
  }
  await respond(
    {
      kind: ResponseKind.PROTEST,
      title: 'Rally at the Russian Embassy in London demanding an end to torture in Chechnya',
      translations: ru({ title: 'Митинг у посольства России в Лондоне с требованием прекратить пытки в Чечне' }),
      description: 'The report states no date; January 2019 is inferred from its context. It quotes Mikhail Tumasov of the Russian LGBT Network thanking those who came.',
      date: date('2019-01~', null), regionCode: 'GB-ENG', venue: 'Russian Embassy, London', target: 'Russian and Chechen authorities',
      participants: count({ best: 100, basis: CountBasis.ESTIMATED, asReported: 'nearly one hundred people (later in the same report: hundreds)' }),
      organizersDescription: 'Not stated in the report',
    },
    { incidents: [decemberWave], situations: [purge] },
    [
      [gsnReport, 'nearly one hundred people flocked to a rally outside of the Russian embassy in London to call for an end to the persecution of gay men and women there.', 'participants, venue'],
      [gsnReport, '‘Thank you for coming today', 'Russian LGBT Network\'s chair addressing those who came'],
    ],
  );
  await respond(
    {
      kind: ResponseKind.FUNDRAISER,
      title: 'Gay Star News fundraising campaign for the Russian LGBT Network',
      description: 'Funds to evacuate LGBTI people in the most danger from Chechnya, with awareness-raising to pressure Chechnya to end the abuse.',
      date: date('2019-01~', null), regionCode: null,
      target: 'LGBTI community worldwide (donors)',
    },
    { incidents: [decemberWave], situations: [purge], organizers: [[gsn, OrganizerRole.ORGANIZER], [russianLgbtNetwork, OrganizerRole.BENEFICIARY]] },
    [[gsnReport, 'Gay Star News has joined in that chorus and is launching a campaign to raise urgent funds for the Russian LGBTI Network.', 'organizer, beneficiary']],
  );
}
