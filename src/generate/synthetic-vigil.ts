import { STAMP_COLUMNS } from '../access/change-stamps';
import { dayOf, isoOf, monthOf, timestampOf, yearOf } from './calendar';
import { Cell } from './copy';
import { countColumns, deathsCount, participantsCount, signaturesCount, UNKNOWN_COUNT, victimsCount } from './counts';
import { dateColumns, DateProfile, generateDate, Precision } from './dates';
import { IdSpace, Random, WeightedChoice } from './random';
import { capitalize, numberWords, personName, sentence, sentences, slug } from './text';
import {
  CITIES_ABROAD,
  CLAIMS,
  FIRST_NAMES,
  GENDERS,
  INTERGOVERNMENTAL,
  KIND_NOUNS,
  LANGUAGES,
  LAST_NAMES,
  NGO_PATTERNS,
  OCCUPATIONS,
  PERPETRATORS,
  PLACES,
  PUBLISHER_PATTERNS,
  RESPONSE_OUTCOMES,
  RESPONSE_TARGETS,
  SITUATION_THEMES,
  TIMES,
  VERBS_PAST,
  VICTIM_GROUPS,
} from './vocabulary';
import { placeName, World } from './world';

/* The synthetic data set: what each table holds and how its rows relate. Rows are produced by
 * generators, table by table in foreign-key order; a table's rows depend only on the seed, the
 * planned sizes and the tables before it. What later tables need of earlier ones (an incident's
 * day, region and situation; a source's day) is kept in typed arrays, a few bytes per row. */

/** Incidents fall between these days; records are created and changed until ENTRY_END. Fixed, not
 * "today", so that a seed always gives the same data. */
export const FIRST_DAY = dayOf(2000, 1, 1);
export const HORIZON = dayOf(2026, 10, 31);
const ENTRY_END = dayOf(2026, 11, 15);
const LAST_SITUATION_START = dayOf(2024, 12, 31);

/** How many rows of each kind of record, from the number of incidents. */
export interface Plan {
  incidents: number;
  situations: number;
  sources: number;
  people: number;
  organizations: number;
  publishers: number;
  responses: number;
}

const clamp = (n: number, min: number, max: number) => Math.max(min, Math.min(max, n));

export function planFor(incidents: number): Plan {
  return {
    incidents,
    situations: Math.max(1, Math.round(incidents / 200)),
    sources: Math.max(1, Math.round(incidents / 3)),
    people: Math.round(incidents / 4),
    organizations: clamp(Math.round(incidents / 50), 20, 400),
    publishers: clamp(Math.round(incidents / 50), 10, 300),
    responses: Math.round(incidents / 10),
  };
}

/** One table to load: its name, the columns written (never a generated one), and its rows. The
 * rows of a table are read once, in full, after those of every table before it in `tables()`:
 * generating them also records what later tables refer to. */
export interface TableLoad {
  table: string;
  columns: string[];
  rows: () => Iterable<Cell[]>;
}

// With the change stamps of every clearance (src/access/change-stamps.ts): a generated record's last
// change is one every viewer could see.
const RECORD_COLUMNS = ['id', 'created_at', 'updated_at', 'version', 'deleted_at', 'confidentiality', ...STAMP_COLUMNS.flatMap((s) => [s.version, s.updatedAt])];

type Level = 'PUBLIC' | 'RESTRICTED' | 'CONFIDENTIAL';
const levels = (pub: number, restricted: number, confidential: number) =>
  new WeightedChoice<Level>([['PUBLIC', pub], ['RESTRICTED', restricted], ['CONFIDENTIAL', confidential]]);
/** Records: 90% public, 7% restricted, 3% confidential. People are more often protected; links and
 * organizations less. */
const RECORD_LEVELS = levels(90, 7, 3);
const PERSON_LEVELS = levels(70, 20, 10);
const CITATION_LEVELS = levels(94, 4, 2);
const LINK_LEVELS = levels(97, 2, 1);
const ORGANIZATION_LEVELS = levels(98, 2, 0);

/** Share of soft-deleted rows in every table. */
const DELETED_SHARE = 0.005;

const VERSIONS = new WeightedChoice<number>([[1, 75], [2, 18], [3, 5], [4, 1], [5, 1]]);

const INCIDENT_KINDS = new WeightedChoice<string>([
  ['DETENTION', 30], ['THREAT_OR_HARASSMENT', 18], ['TORTURE_OR_ILL_TREATMENT', 12], ['KILLING', 12],
  ['ABDUCTION', 8], ['ENFORCED_DISAPPEARANCE', 7], ['SEXUAL_VIOLENCE', 5], ['OTHER', 8],
]);
const VERIFICATION = new WeightedChoice<string>([['REPORTED', 50], ['CORROBORATED', 25], ['VERIFIED', 15], ['DISPUTED', 7], ['RETRACTED', 3]]);
const LOCATION_PRECISION = new WeightedChoice<string>([['EXACT', 20], ['VICINITY', 35], ['LOCALITY', 45]]);
const CITATIONS_PER_INCIDENT = new WeightedChoice<number>([[1, 45], [2, 28], [3, 15], [4, 8], [5, 4]]);
const CITATIONS_PER_SITUATION = new WeightedChoice<number>([[1, 40], [2, 30], [3, 20], [4, 10]]);
const CITATIONS_PER_RESPONSE = new WeightedChoice<number>([[0, 30], [1, 50], [2, 20]]);
const INVOLVEMENT_ROLE = new WeightedChoice<string>([['VICTIM', 80], ['WITNESS', 15], ['OTHER', 5]]);
const REPEAT_ROLE = new WeightedChoice<string>([['PERPETRATOR', 40], ['WITNESS', 30], ['VICTIM', 30]]);
const GENDER = new WeightedChoice<string>([[GENDERS[0], 55], [GENDERS[1], 38], [GENDERS[2], 2], [GENDERS[3], 3], [GENDERS[4], 2]]);
const RESPONSE_KINDS = new WeightedChoice<string>([
  ['PETITION', 22], ['STATEMENT', 25], ['PROTEST', 15], ['CAMPAIGN', 10], ['FUNDRAISER', 6],
  ['LEGAL_ACTION', 8], ['LETTER', 8], ['REPORT', 4], ['OTHER', 2],
]);
const ORGANIZATION_KINDS = new WeightedChoice<string>([['NGO', 60], ['MEDIA', 20], ['ACADEMIC', 8], ['INTERGOVERNMENTAL', 4], ['GOVERNMENT', 4], ['OTHER', 4]]);
const RELIABILITY = new WeightedChoice<string>([
  ['HIGHLY_RELIABLE', 15], ['RELIABLE', 35], ['FAIRLY_RELIABLE', 20], ['NOT_VERY_RELIABLE', 8], ['HIGHLY_UNRELIABLE', 2], ['UNKNOWN', 20],
]);
const LANGUAGE = new WeightedChoice<string>(LANGUAGES);
const ORGANIZATION_LABELS: Record<string, string> = {
  NGO: 'Non-governmental organization', MEDIA: 'Media outlet', ACADEMIC: 'Research centre',
  INTERGOVERNMENTAL: 'Intergovernmental body', GOVERNMENT: 'Public body', OTHER: 'Association',
};

const INCIDENT_DATES: DateProfile = {
  precision: new WeightedChoice<Precision>([['DAY', 62], ['MONTH', 25], ['YEAR', 13]]),
  interval: 0.12, open: 0.04, approximate: 0.1, uncertain: 0.05, asReported: 0.2, longSpans: false,
};
const SITUATION_DATES: DateProfile = {
  precision: new WeightedChoice<Precision>([['DAY', 20], ['MONTH', 50], ['YEAR', 30]]),
  interval: 0.5, open: 0.3, approximate: 0.15, uncertain: 0.05, asReported: 0.3, longSpans: true,
};
const SOURCE_DATES: DateProfile = {
  precision: new WeightedChoice<Precision>([['DAY', 85], ['MONTH', 10], ['YEAR', 5]]),
  interval: 0, open: 0, approximate: 0.04, uncertain: 0.01, asReported: 0.05, longSpans: false,
};
const RESPONSE_DATES: DateProfile = {
  precision: new WeightedChoice<Precision>([['DAY', 80], ['MONTH', 15], ['YEAR', 5]]),
  interval: 0.15, open: 0.03, approximate: 0.05, uncertain: 0.02, asReported: 0.1, longSpans: false,
};

/** More reports in recent years: the weight of a year grows linearly from 2000. */
const YEARS = new WeightedChoice<number>(
  Array.from({ length: yearOf(HORIZON) - 1999 }, (_, i) => [2000 + i, (1 + i * 0.25) * (2000 + i === yearOf(HORIZON) ? 10 / 12 : 1)] as const),
);

function randomDay(random: Random): number {
  const year = YEARS.pick(random);
  const first = dayOf(year, 1, 1);
  return Math.min(HORIZON, first + random.int(0, dayOf(year + 1, 1, 1) - first - 1));
}

/** Latest day a date covers (the generated `date_latest`), or HORIZON when open. */
function latestDay(start: number, end: number | null, precision: Precision, open: boolean): number {
  if (open) return HORIZON;
  const last = end ?? start;
  if (precision === 'DAY') return last;
  if (precision === 'MONTH') return Math.min(HORIZON, dayOf(yearOf(last), monthOf(last) + 1, 1) - 1);
  return Math.min(HORIZON, dayOf(yearOf(last) + 1, 1, 1) - 1);
}

const round5 = (n: number) => Math.round(n * 1e5) / 1e5;
const lowerFirst = (text: string) => text.charAt(0).toLowerCase() + text.slice(1);

interface SituationPlan {
  name: string;
  region: number;
  earliest: number;
  latest: number;
  row: Cell[];
}

interface OrganizationPlan {
  name: string;
  kind: string;
  country: number;
  row: Cell[];
}

interface Publisher {
  name: string;
  organization: number | null;
  kinds: WeightedChoice<string>;
  language: string;
  reliability: string;
  domain: string;
}

/** Grows an Int32Array as values are pushed (link lists whose length is only known at the end). */
class IntList {
  private data = new Int32Array(1024);
  length = 0;
  push(value: number): void {
    if (this.length === this.data.length) {
      const bigger = new Int32Array(this.data.length * 2);
      bigger.set(this.data);
      this.data = bigger;
    }
    this.data[this.length++] = value;
  }
  at(index: number): number {
    return this.data[index];
  }
}

export class SyntheticVigil {
  readonly plan: Plan;
  private readonly ids: Record<string, IdSpace> = {};
  private situations: SituationPlan[] = [];
  private organizations: OrganizationPlan[] = [];
  private publishers: Publisher[] = [];
  private readonly incidentDay: Int32Array;
  private readonly incidentRegion: Uint16Array;
  private readonly incidentSituation: Int32Array;
  /** Incidents of each situation (CSR: situationStart[s] .. situationStart[s + 1]). */
  private situationStart = new Int32Array(0);
  private situationIncidents = new Int32Array(0);
  private sourceDay = new Int32Array(0);
  private sourceAnchor = new Int32Array(0);
  private responseDay = new Int32Array(0);
  private readonly responseIncidents = { response: new IntList(), incident: new IntList() };
  private readonly responseSituations = { response: new IntList(), situation: new IntList() };
  private readonly responseOrganizers = { response: new IntList(), organization: new IntList(), role: new IntList() };

  constructor(
    private readonly world: World,
    private readonly seed: number,
    incidents: number,
  ) {
    this.plan = planFor(incidents);
    this.incidentDay = new Int32Array(incidents);
    this.incidentRegion = new Uint16Array(incidents);
    this.incidentSituation = new Int32Array(incidents).fill(-1);
  }

  private idSpace(table: string): IdSpace {
    return (this.ids[table] ??= new IdSpace(this.seed, table));
  }

  private id(table: string, index: number): string {
    return this.idSpace(table).id(index);
  }

  private random(stream: string): Random {
    return new Random(this.seed, stream);
  }

  /** id, created_at, updated_at, version, deleted_at, confidentiality and the change stamps of a record about `day`. */
  private record(random: Random, table: string, index: number, day: number, confidentiality: WeightedChoice<Level>): Cell[] {
    const created = Math.min(ENTRY_END, day + random.heavyTail(1, 3000, 0.8) - 1);
    const createdSecond = random.int(0, 43_199);
    const version = VERSIONS.pick(random);
    let updated = created;
    let updatedSecond = createdSecond;
    if (version > 1) {
      updated = Math.min(ENTRY_END, created + random.int(0, 400));
      updatedSecond = updated === created ? createdSecond + random.int(1, 43_199) : random.int(0, 86_399);
    }
    const createdAt = timestampOf(created, createdSecond);
    const updatedAt = timestampOf(updated, updatedSecond);
    const deletedAt = random.chance(DELETED_SHARE) ? timestampOf(Math.min(ENTRY_END, updated + random.int(1, 60)), 86_399) : null;
    return [this.id(table, index), createdAt, updatedAt, version, deletedAt, confidentiality.pick(random), ...STAMP_COLUMNS.flatMap(() => [version, updatedAt])];
  }

  /** Every table, in an order where each row's references already exist. */
  tables(): TableLoad[] {
    return [
      { table: 'organization', columns: [...RECORD_COLUMNS, 'name', 'kind', 'description', 'website', 'region_code'], rows: () => this.organizationRows() },
      {
        table: 'situation',
        columns: [...RECORD_COLUMNS, 'name', 'description', 'region_code', ...dateColumns('date')],
        rows: () => this.situationRows(),
      },
      {
        table: 'incident',
        columns: [
          ...RECORD_COLUMNS, 'kind', 'headline', 'description', 'region_code', 'locality', 'latitude', 'longitude',
          'location_precision', 'perpetrator_description', 'verification_status', 'internal_notes', 'situation_id',
          ...dateColumns('date'), ...countColumns('victims'), ...countColumns('deaths'),
        ],
        rows: () => this.incidentRows(),
      },
      {
        table: 'person',
        columns: [...RECORD_COLUMNS, 'pseudonym', 'full_name', 'other_names', 'gender', 'birth_year', 'occupation', 'contact', 'notes'],
        rows: () => this.personRows(),
      },
      { table: 'involvement', columns: [...RECORD_COLUMNS, 'incident_id', 'person_id', 'role', 'description'], rows: () => this.involvementRows() },
      {
        table: 'source',
        columns: [
          ...RECORD_COLUMNS, 'kind', 'publisher', 'publisher_attribution', 'attribution_note', 'publisher_organization_id', 'title',
          'author', 'url', 'language', 'reliability', 'archived_url', 'content_hash', ...dateColumns('published'),
        ],
        rows: () => this.sourceRows(),
      },
      {
        table: 'advocacy_response',
        columns: [
          ...RECORD_COLUMNS, 'kind', 'title', 'description', 'region_code', 'venue', 'organizers_description', 'target', 'outcome',
          'url', ...dateColumns('date'), ...countColumns('signatures'), ...countColumns('participants'),
        ],
        rows: () => this.responseRows(),
      },
      { table: 'response_organizer', columns: [...RECORD_COLUMNS, 'response_id', 'organization_id', 'role'], rows: () => this.organizerRows() },
      { table: 'response_incident', columns: [...RECORD_COLUMNS, 'response_id', 'incident_id'], rows: () => this.responseIncidentRows() },
      { table: 'response_situation', columns: [...RECORD_COLUMNS, 'response_id', 'situation_id'], rows: () => this.responseSituationRows() },
      {
        table: 'citation',
        columns: [...RECORD_COLUMNS, 'source_id', 'incident_id', 'situation_id', 'response_id', 'excerpt', 'claim', 'locator'],
        rows: () => this.citationRows(),
      },
    ];
  }

  // ---- organizations and publishers ----

  private planOrganizations(): void {
    const random = this.random('organization');
    const names = new Set<string>();
    const world = this.world;
    for (let i = 0; i < this.plan.organizations; i++) {
      const kind = ORGANIZATION_KINDS.pick(random);
      const country = random.chance(0.7) ? random.pick(world.hotspotCountries) : world.pickCountry(random);
      const countryName = world.name(country);
      let name: string;
      switch (kind) {
        case 'NGO':
          name = random.pick(NGO_PATTERNS).replace('{country}', countryName).replace('{surname}', random.pick(LAST_NAMES));
          break;
        case 'MEDIA':
          name = random.pick(PUBLISHER_PATTERNS).replace('{place}', random.chance(0.5) ? countryName : placeName(random.next()));
          break;
        case 'GOVERNMENT':
          name = random.pick([`Ministry of Justice of ${countryName}`, `Ombudsman of ${countryName}`, `${countryName} National Human Rights Commission`]);
          break;
        case 'INTERGOVERNMENTAL':
          name = random.pick(INTERGOVERNMENTAL);
          break;
        case 'ACADEMIC':
          name = random.chance(0.5) ? `${random.pick(LAST_NAMES)} Institute for Human Rights` : `Centre for Conflict Studies, University of ${placeName(random.next())}`;
          break;
        default:
          name = random.pick([`${placeName(random.next())} Diaspora Association`, `Friends of ${countryName}`, `${random.pick(FIRST_NAMES)} ${random.pick(LAST_NAMES)} Memorial Fund`]);
      }
      for (let n = 2; names.has(name); n++) name = `${name.replace(/ \(\d+\)$/, '')} (${n})`;
      names.add(name);
      const regional = kind !== 'INTERGOVERNMENTAL' && random.chance(0.9);
      const row = [
        ...this.record(random, 'organization', i, FIRST_DAY + random.int(0, 3650), ORGANIZATION_LEVELS),
        name,
        kind,
        random.chance(0.7) ? `${ORGANIZATION_LABELS[kind]} based in ${countryName}. ${sentence(random)}` : null,
        random.chance(0.7) ? `https://www.${slug(name)}.example` : null,
        regional ? world.code(country) : null,
      ];
      this.organizations.push({ name, kind, country, row });
    }
  }

  private *organizationRows(): Generator<Cell[]> {
    this.planOrganizations();
    for (const organization of this.organizations) yield organization.row;
    this.planPublishers();
  }

  /** The publishers sources come from: the media and NGO organizations, plus outlets and channels
 * that are not recorded as organizations. A few publish much of what is cited. */
  private planPublishers(): void {
    const random = this.random('publisher');
    const news = new WeightedChoice<string>([['NEWS_REPORT', 90], ['OTHER', 10]]);
    const ngo = new WeightedChoice<string>([['NGO_REPORT', 70], ['TESTIMONY', 25], ['OTHER', 5]]);
    const official = new WeightedChoice<string>([['OFFICIAL_STATEMENT', 80], ['COURT_DOCUMENT', 20]]);
    const social = new WeightedChoice<string>([['SOCIAL_MEDIA', 90], ['TESTIMONY', 10]]);
    const publisherOf = (name: string, organization: number | null, kinds: WeightedChoice<string>): Publisher => ({
      name,
      organization,
      kinds,
      language: LANGUAGE.pick(random),
      reliability: RELIABILITY.pick(random),
      domain: `${slug(name)}.example`,
    });
    this.organizations.forEach((o, i) => {
      if (this.publishers.length >= this.plan.publishers) return;
      if (o.kind === 'MEDIA') this.publishers.push(publisherOf(o.name, i, news));
      else if (o.kind === 'NGO' && random.chance(0.5)) this.publishers.push(publisherOf(o.name, i, ngo));
      else if ((o.kind === 'GOVERNMENT' || o.kind === 'INTERGOVERNMENTAL') && random.chance(0.5)) this.publishers.push(publisherOf(o.name, i, official));
    });
    const names = new Set(this.publishers.map((p) => p.name));
    while (this.publishers.length < this.plan.publishers) {
      const place = placeName(random.next());
      const name = random.chance(0.7) ? random.pick(PUBLISHER_PATTERNS).replace('{place}', place) : `${place} ${random.pick(['Telegram channel', 'news on X', 'Facebook group', 'YouTube channel'])}`;
      if (names.has(name)) continue;
      names.add(name);
      this.publishers.push(publisherOf(name, null, name.includes(' on X') || / (channel|group)$/.test(name) ? social : news));
    }
    // Shuffle, so that the most cited publishers (the first ones) are of every kind.
    for (let i = this.publishers.length - 1; i > 0; i--) {
      const j = random.int(0, i);
      [this.publishers[i], this.publishers[j]] = [this.publishers[j], this.publishers[i]];
    }
  }

  // ---- situations ----

  private planSituations(): void {
    const random = this.random('situation');
    const world = this.world;
    for (let s = 0; s < this.plan.situations; s++) {
      const u = random.float();
      const country = world.pickCountry(random);
      const region = u < 0.6 ? country : u < 0.95 ? world.pickRegionIn(random, country, 1) : -1;
      // Situations are recognized after the fact: none starts in the last two years.
      let start = randomDay(random);
      while (start > LAST_SITUATION_START) start = randomDay(random);
      const date = generateDate(random, start, SITUATION_DATES, HORIZON);
      const latest = latestDay(date.start, date.end, date.precision, date.openEnd);
      const theme = random.pick(SITUATION_THEMES);
      const where = region < 0 ? random.pick(['the region', 'several countries', 'the border area']) : world.label(region);
      const since = date.openEnd ? ` since ${yearOf(date.start)}` : date.end !== null && yearOf(date.end) > yearOf(date.start) ? ` (${yearOf(date.start)}–${yearOf(date.end)})` : ` (${yearOf(date.start)})`;
      const name = `${theme} in ${where}${since}`;
      const row = [
        ...this.record(random, 'situation', s, date.start, RECORD_LEVELS),
        name,
        random.chance(0.8) ? sentences(random, 2, 4, region < 0 ? undefined : world.name(region)) : null,
        region < 0 ? null : world.code(region),
        ...date.cells,
      ];
      this.situations.push({ name, region, earliest: date.start, latest, row });
    }
  }

  private *situationRows(): Generator<Cell[]> {
    this.planSituations();
    for (const situation of this.situations) yield situation.row;
  }

  // ---- incidents ----

  private *incidentRows(): Generator<Cell[]> {
    const random = this.random('incident');
    const world = this.world;
    const situations = this.situations;
    for (let i = 0; i < this.plan.incidents; i++) {
      const kind = INCIDENT_KINDS.pick(random);
      // About a third of incidents belong to a situation, a few situations holding most of them.
      const situation = situations.length > 0 && random.chance(0.35) ? random.skewed(situations.length, 1.6) : -1;
      let region: number;
      let day: number;
      if (situation >= 0) {
        const s = situations[situation];
        region = s.region < 0 ? world.pickRegionIn(random, world.pickCountry(random), 0.7) : world.isCountry(s.region) ? world.pickRegionIn(random, s.region, 0.6) : s.region;
        day = random.int(s.earliest, Math.min(s.latest, HORIZON));
      } else {
        region = world.pickRegionIn(random, world.pickCountry(random), 0.7);
        day = randomDay(random);
      }
      const openShare = kind === 'DETENTION' || kind === 'ENFORCED_DISAPPEARANCE' ? 0.1 : 0.02;
      const date = generateDate(random, day, INCIDENT_DATES, HORIZON, openShare);
      const towns = world.localities(region);
      const town = towns[random.skewed(towns.length, 1.8)];
      let locality = random.chance(0.6) ? town.name : null;
      let latitude: number | null = null;
      let longitude: number | null = null;
      let locationPrecision = locality ? 'LOCALITY' : 'REGION';
      if (town.latitude !== null && town.longitude !== null && random.chance(0.45)) {
        locality = town.name;
        locationPrecision = LOCATION_PRECISION.pick(random);
        const jitter = locationPrecision === 'EXACT' ? 0.02 : locationPrecision === 'VICINITY' ? 0.05 : 0;
        latitude = round5(Math.max(-89.9, Math.min(89.9, town.latitude + random.normal() * jitter)));
        longitude = round5(Math.max(-180, Math.min(180, town.longitude + random.normal() * jitter)));
      }
      const group = random.pick(VICTIM_GROUPS);
      const deaths = deathsCount(random, kind);
      const victims = kind === 'KILLING' && deaths[0] !== null && random.chance(0.7) ? [...deaths] : victimsCount(random, group);
      const place = locality ?? world.name(region);
      const howMany = victims[3] === 'DOCUMENTED' && (victims[0] as number) > 1 ? `${numberWords(victims[0] as number)} ` : '';
      const row: Cell[] = [
        ...this.record(random, 'incident', i, date.start, RECORD_LEVELS),
        kind,
        `${random.pick(KIND_NOUNS[kind])} of ${howMany}${group} in ${place}`,
        random.chance(0.75) ? sentences(random, 1, 3, place) : null,
        world.code(region),
        locality,
        latitude,
        longitude,
        locationPrecision,
        random.chance(0.6) ? random.pick(PERPETRATORS) : null,
        VERIFICATION.pick(random),
        random.chance(0.12) ? `Follow up with ${personName(random)} (${random.pick(['lawyer', 'relative', 'witness', 'local contact'])}). ${sentence(random)}` : null,
        situation >= 0 ? this.id('situation', situation) : null,
        ...date.cells,
        ...victims,
        ...deaths,
      ];
      this.incidentDay[i] = date.start;
      this.incidentRegion[i] = region;
      this.incidentSituation[i] = situation;
      yield row;
    }
    this.indexSituationIncidents();
  }

  private indexSituationIncidents(): void {
    const count = this.situations.length;
    const start = new Int32Array(count + 1);
    for (const s of this.incidentSituation) if (s >= 0) start[s + 1]++;
    for (let s = 0; s < count; s++) start[s + 1] += start[s];
    const fill = start.slice(0, count);
    const list = new Int32Array(start[count]);
    this.incidentSituation.forEach((s, i) => {
      if (s >= 0) list[fill[s]++] = i;
    });
    this.situationStart = start;
    this.situationIncidents = list;
  }

  // ---- people ----

  /** Incident `i` introduces people [firstPerson(i), firstPerson(i + 1)): each person has one first
   * involvement, spread evenly over the incidents. */
  private firstPerson(incident: number): number {
    return Math.floor((incident * this.plan.people) / this.plan.incidents);
  }

  /** The incident that introduces person `p`. */
  private incidentOfPerson(person: number): number {
    const { people, incidents } = this.plan;
    return Math.floor(((person + 1) * incidents + people - 1) / people) - 1;
  }

  private *personRows(): Generator<Cell[]> {
    const random = this.random('person');
    for (let p = 0; p < this.plan.people; p++) {
      const incident = this.incidentOfPerson(p);
      const birthYear = random.chance(0.6) ? random.int(1940, 2008) : null;
      const occupation = random.chance(0.5) ? random.pick(OCCUPATIONS) : null;
      const first = random.pick(FIRST_NAMES);
      const last = random.pick(LAST_NAMES);
      const age = birthYear === null ? null : Math.max(12, yearOf(this.incidentDay[incident]) - birthYear);
      const pseudonym =
        age !== null && occupation !== null && random.chance(0.6)
          ? `a ${age}-year-old ${occupation}`
          : random.pick([`Victim ${String.fromCharCode(65 + (p % 26))}${p % 97}`, `${first.charAt(0)}. ${last.charAt(0)}.`, `Witness ${1 + (p % 40)}`, `the ${occupation ?? 'resident'} from ${placeName(random.next())}`]);
      yield [
        ...this.record(random, 'person', p, this.incidentDay[incident], PERSON_LEVELS),
        pseudonym,
        random.chance(0.7) ? `${first} ${last}` : null,
        random.chance(0.1) ? `${random.pick(FIRST_NAMES)} ${last}` : null,
        random.chance(0.8) ? GENDER.pick(random) : null,
        birthYear,
        occupation,
        random.chance(0.2)
          ? random.chance(0.5)
            ? `+${random.int(1, 998)} ${random.int(100, 999)} ${random.int(100, 999)} ${random.int(1000, 9999)}`
            : `${first.toLowerCase()}.${last.toLowerCase()}${random.int(1, 99)}@mail.example`
          : null,
        random.chance(0.15) ? sentences(random, 1, 2) : null,
      ];
    }
  }

  private *involvementRows(): Generator<Cell[]> {
    const random = this.random('involvement');
    let index = 0;
    const describe = () => (random.chance(0.5) ? `${capitalize(random.pick(VERBS_PAST))} ${random.pick(PLACES)} ${random.pick(TIMES)}.` : null);
    for (let i = 0; i < this.plan.incidents; i++) {
      const first = this.firstPerson(i);
      const next = this.firstPerson(i + 1);
      const incidentId = this.id('incident', i);
      for (let p = first; p < next; p++) {
        yield [...this.record(random, 'involvement', index++, this.incidentDay[i], LINK_LEVELS), incidentId, this.id('person', p), INVOLVEMENT_ROLE.pick(random), describe()];
      }
      // Some people appear again: a perpetrator named in several incidents, a repeat victim.
      if (first > 0 && random.chance(0.1)) {
        const p = random.int(0, first - 1);
        yield [...this.record(random, 'involvement', index++, this.incidentDay[i], LINK_LEVELS), incidentId, this.id('person', p), REPEAT_ROLE.pick(random), describe()];
      }
    }
  }

  // ---- sources ----

  /** Each source reports on an incident (its anchor) days to years after it; sources are numbered in
   * order of publication, so "sources published soon after day d" is a range of indexes. */
  private planSources(random: Random): void {
    const count = this.plan.sources;
    const days = new Int32Array(count);
    const anchors = new Int32Array(count);
    for (let j = 0; j < count; j++) {
      anchors[j] = random.int(0, this.plan.incidents - 1);
      days[j] = Math.min(HORIZON, this.incidentDay[anchors[j]] + random.heavyTail(1, 3000, 1.1) - 1);
    }
    const order = new Int32Array(count).map((_, j) => j);
    order.sort((a, b) => days[a] - days[b] || a - b);
    this.sourceDay = order.map((j) => days[j]);
    this.sourceAnchor = order.map((j) => anchors[j]);
  }

  private *sourceRows(): Generator<Cell[]> {
    const random = this.random('source');
    this.planSources(random);
    const world = this.world;
    for (let j = 0; j < this.plan.sources; j++) {
      const publisher = this.publishers[random.skewed(this.publishers.length, 2.5)];
      const kind = publisher.kinds.pick(random);
      const anchor = this.sourceAnchor[j];
      const region = this.incidentRegion[anchor];
      const label = world.label(region);
      const country = world.name(world.countryOf(region));
      const group = random.pick(VICTIM_GROUPS);
      const date = generateDate(random, this.sourceDay[j], SOURCE_DATES, HORIZON);
      let title: string;
      switch (kind) {
        case 'NEWS_REPORT':
          title = `${capitalize(numberWords(random.heavyTail(2, 200)))} ${group} ${random.pick(VERBS_PAST)} in ${label}`;
          break;
        case 'NGO_REPORT':
          title = random.chance(0.5) ? `${country}: ${random.pick(SITUATION_THEMES).toLowerCase()}` : `Annual report ${yearOf(date.start)}: ${country}`;
          break;
        case 'TESTIMONY':
          title = `Testimony of a ${random.pick(OCCUPATIONS)} from ${label}`;
          break;
        case 'OFFICIAL_STATEMENT':
          title = `Statement on the events in ${label}`;
          break;
        case 'COURT_DOCUMENT':
          title = `Judgment in the case of ${personName(random)} v. ${country}`;
          break;
        case 'SOCIAL_MEDIA':
          title = `Post about ${group} ${random.pick(VERBS_PAST)} in ${label}`;
          break;
        default:
          title = `Letter from relatives of ${group} in ${label}`;
      }
      const inferred = random.chance(0.1);
      const url = random.chance(0.8) ? `https://www.${publisher.domain}/${isoOf(date.start).slice(0, 7).replace('-', '/')}/${slug(title)}-${j}` : null;
      yield [
        ...this.record(random, 'source', j, date.start, RECORD_LEVELS),
        kind,
        publisher.name,
        inferred ? 'INFERRED' : 'STATED',
        inferred ? `The document does not name its publisher; inferred from ${random.pick(['its layout', 'the site it was found on', 'a later republication', 'its letterhead'])}.` : null,
        publisher.organization === null ? null : this.id('organization', publisher.organization),
        title,
        random.chance(0.55) ? personName(random) : null,
        url,
        random.chance(0.9) ? publisher.language : LANGUAGE.pick(random),
        random.chance(0.8) ? publisher.reliability : RELIABILITY.pick(random),
        url !== null && random.chance(0.35) ? `https://archive.example/${isoOf(date.start).replace(/-/g, '')}/${url}` : null,
        random.chance(0.4) ? `sha256:${this.idSpace('source').digest(j)}` : null,
        ...date.cells,
      ];
    }
  }

  /** A source published on or soon after `day` (now and then a much later one). */
  private sourceNear(random: Random, day: number): number {
    const days = this.sourceDay;
    const count = days.length;
    let lo = 0;
    let hi = count;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (days[mid] < day) lo = mid + 1;
      else hi = mid;
    }
    const window = Math.max(8, Math.ceil(count / 300));
    const index = random.chance(0.1) && lo < count ? lo + random.int(0, count - 1 - lo) : lo + random.skewed(window, 2);
    return index < count ? index : count - 1 - random.int(0, Math.min(window, count) - 1);
  }

  // ---- advocacy responses ----

  private *responseRows(): Generator<Cell[]> {
    const random = this.random('advocacy_response');
    const world = this.world;
    this.responseDay = new Int32Array(this.plan.responses);
    const ngos = this.organizations.map((o, i) => (o.kind === 'NGO' ? i : -1)).filter((i) => i >= 0);
    for (let r = 0; r < this.plan.responses; r++) {
      const kind = RESPONSE_KINDS.pick(random);
      const incidents: number[] = [];
      let situation = -1;
      if (this.situations.length > 0 && random.chance(0.35)) {
        situation = random.skewed(this.situations.length, 1.3);
        const from = this.situationStart[situation];
        const size = this.situationStart[situation + 1] - from;
        for (let k = Math.min(size, random.int(0, 3)); k > 0; k--) {
          const incident = this.situationIncidents[from + random.int(0, size - 1)];
          if (!incidents.includes(incident)) incidents.push(incident);
        }
      } else {
        const anchor = random.int(0, this.plan.incidents - 1);
        incidents.push(anchor);
        const s = this.incidentSituation[anchor];
        if (s >= 0 && random.chance(0.3)) {
          const from = this.situationStart[s];
          const size = this.situationStart[s + 1] - from;
          for (let k = random.int(1, 3); k > 0; k--) {
            const incident = this.situationIncidents[from + random.int(0, size - 1)];
            if (!incidents.includes(incident)) incidents.push(incident);
          }
        }
      }
      let base = situation >= 0 ? this.situations[situation].earliest : 0;
      for (const i of incidents) base = Math.max(base, this.incidentDay[i]);
      const date = generateDate(random, Math.min(HORIZON, base + random.heavyTail(1, 1500, 1.2) - 1), RESPONSE_DATES, HORIZON, kind === 'CAMPAIGN' ? 0.2 : 0.02);
      this.responseDay[r] = date.start;

      const subjectRegion = incidents.length > 0 ? this.incidentRegion[incidents[0]] : this.situations[situation].region;
      const subjectCountry = subjectRegion < 0 ? world.pickCountry(random) : world.countryOf(subjectRegion);
      const countryName = world.name(subjectCountry);
      const organizers: number[] = [];
      for (let k = random.int(1, 3); k > 0; k--) {
        const o = random.chance(0.8) && ngos.length > 0 ? ngos[random.skewed(ngos.length, 2)] : random.int(0, this.organizations.length - 1);
        if (!organizers.includes(o)) organizers.push(o);
      }
      let region: number | null = random.chance(0.6) ? subjectCountry : null;
      let venue: string | null = null;
      if (kind === 'PROTEST') {
        if (random.chance(0.5)) {
          const [city, code] = random.pick(CITIES_ABROAD);
          region = world.countryByCode(code) ?? null;
          venue = `Outside the embassy of ${countryName}, ${city}`;
        } else {
          region = subjectCountry;
          venue = `${random.pick(['Central square', 'Outside the courthouse', 'In front of the parliament', 'Outside the police headquarters'])}, ${world.localities(subjectRegion < 0 ? subjectCountry : subjectRegion)[0].name}`;
        }
      }
      const subject = situation >= 0 ? lowerFirst(this.situations[situation].name) : `abuses in ${countryName}`;
      const titles: Record<string, string> = {
        PETITION: `Petition: justice for the victims of ${subject}`,
        STATEMENT: `Joint statement on ${subject}`,
        PROTEST: `Protest against ${subject}`,
        CAMPAIGN: `Campaign: stop the abuses in ${countryName}`,
        FUNDRAISER: `Emergency fund for families in ${countryName}`,
        LEGAL_ACTION: `Complaint filed on behalf of victims in ${countryName}`,
        LETTER: `Open letter to the authorities of ${countryName}`,
        REPORT: `Report: ${subject}`,
        OTHER: `Solidarity action for ${countryName}`,
      };
      const organizerName = this.organizations[organizers[0]].name;
      yield [
        ...this.record(random, 'advocacy_response', r, date.start, RECORD_LEVELS),
        kind,
        titles[kind],
        random.chance(0.6) ? sentences(random, 1, 3) : null,
        region === null ? null : world.code(region),
        venue,
        random.chance(0.2) ? random.pick(['local activists and relatives of the detained', 'a coalition of student groups', 'diaspora volunteers', 'lawyers acting pro bono']) : null,
        random.chance(0.7) ? random.pick(RESPONSE_TARGETS).replace('{country}', countryName) : null,
        random.chance(0.3) ? random.pick(RESPONSE_OUTCOMES) : null,
        random.chance(0.6) ? `https://www.${slug(organizerName)}.example/${kind.toLowerCase()}/${r}` : null,
        ...date.cells,
        ...(kind === 'PETITION' || (kind === 'CAMPAIGN' && random.chance(0.3)) ? signaturesCount(random) : UNKNOWN_COUNT),
        ...(kind === 'PROTEST' ? participantsCount(random) : UNKNOWN_COUNT),
      ];
      for (const i of incidents) {
        this.responseIncidents.response.push(r);
        this.responseIncidents.incident.push(i);
      }
      if (situation >= 0) {
        this.responseSituations.response.push(r);
        this.responseSituations.situation.push(situation);
      }
      organizers.forEach((o, k) => {
        this.responseOrganizers.response.push(r);
        this.responseOrganizers.organization.push(o);
        // The first organizes; for a fundraiser, the second receives the money.
        this.responseOrganizers.role.push(k === 0 ? 0 : kind === 'FUNDRAISER' && k === 1 ? 2 : 1);
      });
    }
  }

  private *organizerRows(): Generator<Cell[]> {
    const random = this.random('response_organizer');
    const { response, organization, role } = this.responseOrganizers;
    const roles = ['ORGANIZER', 'PARTNER', 'BENEFICIARY'];
    for (let k = 0; k < response.length; k++) {
      const r = response.at(k);
      yield [...this.record(random, 'response_organizer', k, this.responseDay[r], LINK_LEVELS), this.id('advocacy_response', r), this.id('organization', organization.at(k)), roles[role.at(k)]];
    }
  }

  private *responseIncidentRows(): Generator<Cell[]> {
    const random = this.random('response_incident');
    const { response, incident } = this.responseIncidents;
    for (let k = 0; k < response.length; k++) {
      const r = response.at(k);
      yield [...this.record(random, 'response_incident', k, this.responseDay[r], LINK_LEVELS), this.id('advocacy_response', r), this.id('incident', incident.at(k))];
    }
  }

  private *responseSituationRows(): Generator<Cell[]> {
    const random = this.random('response_situation');
    const { response, situation } = this.responseSituations;
    for (let k = 0; k < response.length; k++) {
      const r = response.at(k);
      yield [...this.record(random, 'response_situation', k, this.responseDay[r], LINK_LEVELS), this.id('advocacy_response', r), this.id('situation', situation.at(k))];
    }
  }

  // ---- citations ----

  private *citationRows(): Generator<Cell[]> {
    const random = this.random('citation');
    const world = this.world;
    let index = 0;
    const chosen: number[] = [];
    const pickSources = (count: number, day: number) => {
      chosen.length = 0;
      for (let tries = 0; chosen.length < count && tries < count * 3; tries++) {
        const s = this.sourceNear(random, day);
        if (!chosen.includes(s)) chosen.push(s);
      }
      return chosen;
    };
    const locator = () =>
      random.chance(0.4)
        ? random.pick([`p. ${random.int(1, 120)}`, `para. ${random.int(1, 40)}`, `${random.int(0, 59)}:${String(random.int(0, 59)).padStart(2, '0')}`, `section ${random.int(1, 9)}`])
        : null;
    const cite = (source: number, subject: 0 | 1 | 2, id: string, day: number, place?: string): Cell[] => [
      ...this.record(random, 'citation', index++, Math.max(day, this.sourceDay[source]), CITATION_LEVELS),
      this.id('source', source),
      subject === 0 ? id : null,
      subject === 1 ? id : null,
      subject === 2 ? id : null,
      sentences(random, 1, 4, place),
      random.chance(0.6) ? random.pick(CLAIMS) : null,
      locator(),
    ];
    for (let i = 0; i < this.plan.incidents; i++) {
      const id = this.id('incident', i);
      const place = world.name(this.incidentRegion[i]);
      for (const s of pickSources(CITATIONS_PER_INCIDENT.pick(random), this.incidentDay[i])) yield cite(s, 0, id, this.incidentDay[i], place);
    }
    for (let s = 0; s < this.situations.length; s++) {
      const situation = this.situations[s];
      const id = this.id('situation', s);
      const place = situation.region < 0 ? undefined : world.name(situation.region);
      for (const j of pickSources(CITATIONS_PER_SITUATION.pick(random), situation.earliest)) yield cite(j, 1, id, situation.earliest, place);
    }
    for (let r = 0; r < this.plan.responses; r++) {
      const id = this.id('advocacy_response', r);
      for (const j of pickSources(CITATIONS_PER_RESPONSE.pick(random), this.responseDay[r])) yield cite(j, 2, id, this.responseDay[r]);
    }
  }
}
