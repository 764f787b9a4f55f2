import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { AccessLevel } from '../access/access-level';
import { Sensitive } from '../access/sensitive.decorator';
import { VigilRecord } from '../common/vigil-record';
import { Incident } from '../incidents/incident.entity';
import { Person } from './person.entity';

export enum InvolvementRole {
  VICTIM = 'VICTIM',
  WITNESS = 'WITNESS',
  PERPETRATOR = 'PERPETRATOR',
  OTHER = 'OTHER',
}
registerEnumType(InvolvementRole, { name: 'InvolvementRole' });

/** A person's part in an incident. */
@ObjectType({ description: 'A person\'s part in an incident.' })
@Entity()
@Index(['incidentId', 'personId', 'role'], { unique: true, where: 'deleted_at IS NULL' })
export class Involvement extends VigilRecord {
  @Field()
  @Index()
  @Column({ type: 'uuid' })
  incidentId!: string;

  @ManyToOne(() => Incident)
  @JoinColumn({ name: 'incident_id' })
  incident?: Incident;

  @Field()
  @Index()
  @Column({ type: 'uuid' })
  personId!: string;

  @ManyToOne(() => Person)
  @JoinColumn({ name: 'person_id' })
  person?: Person;

  @Field(() => InvolvementRole)
  @Column({ type: 'enum', enum: InvolvementRole, enumName: 'involvement_role' })
  role!: InvolvementRole;

  @Field(() => String, { nullable: true, description: 'What happened to or was done by the person.' })
  @Sensitive(AccessLevel.RESTRICTED, 'Details of what happened to a person can identify them.')
  @Column({ type: 'text', nullable: true })
  description!: string | null;
}
