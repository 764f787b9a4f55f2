import { registerEnumType } from '@nestjs/graphql';
import { VigilRecord } from '../common/vigil-record';
import { Incident } from '../incidents/incident.entity';
import { Organization } from '../organizations/organization.entity';
import { Involvement } from '../people/involvement.entity';
import { Person } from '../people/person.entity';
import { AdvocacyResponse } from '../responses/advocacy-response.entity';
import { ResponseIncident, ResponseOrganizer, ResponseSituation } from '../responses/response-links.entity';
import { Situation } from '../situations/situation.entity';
import { Citation } from '../sources/citation.entity';
import { Source } from '../sources/source.entity';

/** Every kind of record editors write, as named in the API, the revision history and the audit log. */
export enum RecordType {
  INCIDENT = 'INCIDENT',
  SITUATION = 'SITUATION',
  PERSON = 'PERSON',
  INVOLVEMENT = 'INVOLVEMENT',
  SOURCE = 'SOURCE',
  CITATION = 'CITATION',
  ORGANIZATION = 'ORGANIZATION',
  ADVOCACY_RESPONSE = 'ADVOCACY_RESPONSE',
  RESPONSE_ORGANIZER = 'RESPONSE_ORGANIZER',
  RESPONSE_INCIDENT = 'RESPONSE_INCIDENT',
  RESPONSE_SITUATION = 'RESPONSE_SITUATION',
}
registerEnumType(RecordType, {
  name: 'RecordType',
  description: 'A kind of record. RESPONSE_INCIDENT and RESPONSE_SITUATION are the links between a response and what it answers.',
});

export type RecordClass = new () => VigilRecord;

export const RECORD_CLASSES: Record<RecordType, RecordClass> = {
  [RecordType.INCIDENT]: Incident,
  [RecordType.SITUATION]: Situation,
  [RecordType.PERSON]: Person,
  [RecordType.INVOLVEMENT]: Involvement,
  [RecordType.SOURCE]: Source,
  [RecordType.CITATION]: Citation,
  [RecordType.ORGANIZATION]: Organization,
  [RecordType.ADVOCACY_RESPONSE]: AdvocacyResponse,
  [RecordType.RESPONSE_ORGANIZER]: ResponseOrganizer,
  [RecordType.RESPONSE_INCIDENT]: ResponseIncident,
  [RecordType.RESPONSE_SITUATION]: ResponseSituation,
};

export function recordTypeOf(entity: Function): RecordType {
  const found = (Object.keys(RECORD_CLASSES) as RecordType[]).find((t) => RECORD_CLASSES[t] === entity);
  if (!found) throw new Error(`${entity.name} is not an editable record`);
  return found;
}

/** Why a record left a viewer's view (the removedSince feed). */
export enum RemovalReason {
  DELETED = 'DELETED',
  PURGED = 'PURGED',
  /** Its confidentiality was raised above the viewer's level. */
  HIDDEN = 'HIDDEN',
}
registerEnumType(RemovalReason, {
  name: 'RemovalReason',
  description: 'DELETED (soft, may come back), PURGED (gone for good), HIDDEN (now above your level).',
});
