import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { AccessLevel } from '../../access/access-level';
import { DateWithPrecision } from '../../dates/date-with-precision';

export enum TimelineEntryKind {
  INCIDENT = 'INCIDENT',
  RESPONSE = 'RESPONSE',
}
registerEnumType(TimelineEntryKind, { name: 'TimelineEntryKind', description: 'INCIDENT: an incident; RESPONSE: an advocacy response.' });

/** What of the incident filter applies to responses: the fields that mean the same for them.
 * The others (kinds, counts, sources, responses, perpetrator...) select incidents only. */
export const RESPONSE_FILTER_FIELDS = ['regions', 'dateFrom', 'dateTo', 'dateMatch', 'search', 'updatedSince', 'includeDeleted'] as const;

/** The description of the timeline's responsesToIncidents argument and export parameter. */
export const RESPONSES_TO_INCIDENTS =
  'Also show the advocacy responses that answer the selected incidents (through a link you may see), wherever and whenever they took place: ' +
  'a timeline of Chechnya shows the petition handed in in London. True by default.';

export enum TimelineOrder {
  DATE_ASC = 'DATE_ASC',
  DATE_DESC = 'DATE_DESC',
}
registerEnumType(TimelineOrder, {
  name: 'TimelineOrder',
  description: 'By the first day of each date; on the same day incidents come before responses, then by id.',
  valuesMap: {
    DATE_ASC: { description: 'Oldest first (the default).' },
    DATE_DESC: { description: 'Newest first.' },
  },
});

/** One incident or advocacy response on a timeline, with the record itself one field away
 * (TimelineResolver). */
@ObjectType({ description: 'An incident or an advocacy response on the timeline: what, when, its id, and the record itself (`incident` or `advocacyResponse`).' })
export class TimelineEntry {
  @Field(() => TimelineEntryKind)
  kind!: TimelineEntryKind;

  @Field(() => ID, { description: 'The record\'s id: for `incident(id)` or `advocacyResponse(id)`.' })
  id!: string;

  @Field(() => DateWithPrecision)
  date!: DateWithPrecision;

  @Field({ description: 'The incident\'s headline or the response\'s title.' })
  headline!: string;

  @Field({ description: 'The incident\'s kind (DETENTION...) or the response\'s (PETITION...).' })
  recordKind!: string;

  @Field(() => String, { nullable: true, description: 'ISO 3166 code of where it happened; null for online or worldwide responses.' })
  regionCode!: string | null;

  // The record's own: an entry of a record above PUBLIC is its content, audited as such.
  @Field(() => AccessLevel, { description: 'Who may see the record at all.' })
  confidentiality!: AccessLevel;
}
