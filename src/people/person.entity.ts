import { Field, Int, ObjectType } from '@nestjs/graphql';
import { Column, Entity } from 'typeorm';
import { AccessLevel } from '../access/access-level';
import { CreatedAtLeast } from '../access/creation-level';
import { Sensitive } from '../access/sensitive.decorator';
import { VigilRecord } from '../common/vigil-record';

/** A victim, witness or perpetrator. Identity and contact fields are the sensitive ones: a leak
 * can get someone killed. The public sees the pseudonym. */
@ObjectType({ description: 'A person involved in incidents: victim, witness or perpetrator.' })
@Entity()
// A person is known from what happened to them: publishing that they exist is an editor's decision.
@CreatedAtLeast(AccessLevel.RESTRICTED)
export class Person extends VigilRecord {
  @Field({ description: 'How the public record refers to the person ("Victim A", "a 30-year-old man").' })
  @Column({ type: 'text' })
  pseudonym!: string;

  @Field(() => String, { nullable: true })
  @Sensitive(AccessLevel.RESTRICTED, 'Identifies the person.')
  @Column({ type: 'text', nullable: true })
  fullName!: string | null;

  @Field(() => String, { nullable: true })
  @Sensitive(AccessLevel.RESTRICTED, 'Identifies the person.')
  @Column({ type: 'text', nullable: true })
  otherNames!: string | null;

  @Field(() => String, { nullable: true, description: 'As given by the person or the sources.' })
  @Column({ type: 'text', nullable: true })
  gender!: string | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: 'int', nullable: true })
  birthYear!: number | null;

  @Field(() => String, { nullable: true })
  @Sensitive(AccessLevel.RESTRICTED, 'With other details, identifies the person.')
  @Column({ type: 'text', nullable: true })
  occupation!: string | null;

  @Field(() => String, { nullable: true })
  @Sensitive(AccessLevel.CONFIDENTIAL, 'Reaching the person, or their family, puts them at risk.')
  @Column({ type: 'text', nullable: true })
  contact!: string | null;

  @Field(() => String, { nullable: true })
  @Sensitive(AccessLevel.CONFIDENTIAL, 'Unpublished testimony and working notes.')
  @Column({ type: 'text', nullable: true })
  notes!: string | null;
}
