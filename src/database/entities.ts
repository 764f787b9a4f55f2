import { Account } from '../accounts/account.entity';
import { ApiToken } from '../accounts/api-token.entity';
import { AuditEvent } from '../audit/audit-event.entity';
import { Revision } from '../editing/revision.entity';
import { Incident } from '../incidents/incident.entity';
import { Organization } from '../organizations/organization.entity';
import { Involvement } from '../people/involvement.entity';
import { Person } from '../people/person.entity';
import { Region } from '../regions/region.entity';
import { AdvocacyResponse } from '../responses/advocacy-response.entity';
import { ResponseIncident, ResponseOrganizer, ResponseSituation } from '../responses/response-links.entity';
import { Situation } from '../situations/situation.entity';
import { Citation } from '../sources/citation.entity';
import { ServiceSecret } from '../security/service-secret.entity';
import { Source } from '../sources/source.entity';

/** Every table Vigil maps. */
export const ENTITIES = [
  Region,
  Organization,
  Situation,
  Incident,
  Person,
  Involvement,
  Source,
  Citation,
  AdvocacyResponse,
  ResponseOrganizer,
  ResponseIncident,
  ResponseSituation,
  Account,
  ApiToken,
  AuditEvent,
  Revision,
  ServiceSecret,
];
