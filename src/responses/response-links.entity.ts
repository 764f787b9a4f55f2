import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { LevelFollowsEnds } from '../access/creation-level';
import { VigilRecord } from '../common/vigil-record';
import { Incident } from '../incidents/incident.entity';
import { Organization } from '../organizations/organization.entity';
import { Situation } from '../situations/situation.entity';
import { AdvocacyResponse } from './advocacy-response.entity';

export enum OrganizerRole {
  ORGANIZER = 'ORGANIZER',
  PARTNER = 'PARTNER',
  BENEFICIARY = 'BENEFICIARY',
}
registerEnumType(OrganizerRole, {
  name: 'OrganizerRole',
  description: 'ORGANIZER runs it; PARTNER supports it; BENEFICIARY receives what it raises.',
});

/** An organization's part in a response. */
@ObjectType({ description: 'An organization\'s part in a response.' })
@Entity()
@Index(['responseId', 'organizationId', 'role'], { unique: true, where: 'deleted_at IS NULL' })
@LevelFollowsEnds()
export class ResponseOrganizer extends VigilRecord {
  @Field()
  @Index()
  @Column({ type: 'uuid' })
  responseId!: string;

  @ManyToOne(() => AdvocacyResponse)
  @JoinColumn({ name: 'response_id' })
  response?: AdvocacyResponse;

  @Field()
  @Index()
  @Column({ type: 'uuid' })
  organizationId!: string;

  @ManyToOne(() => Organization)
  @JoinColumn({ name: 'organization_id' })
  organization?: Organization;

  @Field(() => OrganizerRole)
  @Column({ type: 'enum', enum: OrganizerRole, enumName: 'organizer_role', default: OrganizerRole.ORGANIZER })
  role!: OrganizerRole;
}

/** A response answers an incident. */
@Entity()
@Index(['responseId', 'incidentId'], { unique: true, where: 'deleted_at IS NULL' })
@LevelFollowsEnds()
export class ResponseIncident extends VigilRecord {
  @Index()
  @Column({ type: 'uuid' })
  responseId!: string;

  @ManyToOne(() => AdvocacyResponse)
  @JoinColumn({ name: 'response_id' })
  response?: AdvocacyResponse;

  @Index()
  @Column({ type: 'uuid' })
  incidentId!: string;

  @ManyToOne(() => Incident)
  @JoinColumn({ name: 'incident_id' })
  incident?: Incident;
}

/** A response answers a whole situation (a pattern or campaign of abuse). */
@Entity()
@Index(['responseId', 'situationId'], { unique: true, where: 'deleted_at IS NULL' })
@LevelFollowsEnds()
export class ResponseSituation extends VigilRecord {
  @Index()
  @Column({ type: 'uuid' })
  responseId!: string;

  @ManyToOne(() => AdvocacyResponse)
  @JoinColumn({ name: 'response_id' })
  response?: AdvocacyResponse;

  @Index()
  @Column({ type: 'uuid' })
  situationId!: string;

  @ManyToOne(() => Situation)
  @JoinColumn({ name: 'situation_id' })
  situation?: Situation;
}
