import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLDateTime } from '../common/date-time';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AccessLevel } from '../access/access-level';
import { Disclosure, ProbeRecord } from '../access/access-recorder';
import { Role } from '../access/role';
import { Sensitive } from '../access/sensitive.decorator';

export enum AuditAction {
  /** A request returned restricted or confidential values. */
  READ = 'READ',
  /** An export returned restricted or confidential values. */
  EXPORT = 'EXPORT',
  CREATE = 'CREATE',
  UPDATE = 'UPDATE',
  DELETE = 'DELETE',
  RESTORE = 'RESTORE',
  PURGE = 'PURGE',
}
registerEnumType(AuditAction, {
  name: 'AuditAction',
  description: 'READ and EXPORT: protected values went out. The others: something was written.',
});

registerEnumType(Disclosure, {
  name: 'Disclosure',
  description: 'The kinds of protected information a READ or EXPORT carried.',
  valuesMap: {
    PROTECTED_FIELD: { description: 'A value of a @sensitive field (listed in fields).' },
    RECORD_ABOVE_PUBLIC: { description: 'Content of records the public cannot see (listed in subjects), or export rows of them.' },
    PROTECTED_FILTER: { description: 'A protected filter was used (in fields; how in probes).' },
    PROTECTED_SORT: { description: 'A protected sort was used (in fields; how in probes).' },
  },
});

@ObjectType({ description: 'One use of a protected filter or sort: how narrow the guess was and what it matched, never the guessed value.' })
export class AuditProbe implements ProbeRecord {
  @Field({ description: 'The filter field or sort value, e.g. `IncidentFilter.within`.' })
  coordinate!: string;

  @Field(() => GraphQLJSONObject, { description: 'A box: its `widthDegrees` and `heightDegrees`. A text: its `length`. A sort: its `value`.' })
  asked!: Record<string, unknown>;

  @Field(() => Int, { nullable: true, description: 'How many records the filtered list held (null when not a list).' })
  matches?: number;
}

/** One entry of the append-only audit log. The database refuses UPDATE, DELETE and TRUNCATE on
 * the table (a trigger), so not even the service can rewrite history. */
@ObjectType({ description: 'An entry of the append-only audit log: who did what, when.' })
@Entity()
@Index(['occurredAt'])
@Index(['accountId', 'occurredAt'])
@Index(['subjectType', 'subjectId'])
export class AuditEvent {
  @Field(() => ID)
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Field(() => GraphQLDateTime)
  @CreateDateColumn({ type: 'timestamptz' })
  occurredAt!: Date;

  @Field(() => ID, { nullable: true, description: 'The account that acted; null for the command line.' })
  @Column({ type: 'uuid', nullable: true })
  accountId!: string | null;

  @Field({ description: 'Who acted, as known at the time: the account\'s email, or "command line (user)".' })
  @Column({ type: 'text' })
  actor!: string;

  @Field(() => Role)
  @Column({ type: 'enum', enum: Role, enumName: 'role' })
  role!: Role;

  @Field(() => AuditAction)
  @Column({ type: 'enum', enum: AuditAction, enumName: 'audit_action' })
  action!: AuditAction;

  @Field({ description: 'What was run: GraphQL operations (`Query.people`), an export path, or a command.' })
  @Column({ type: 'text' })
  operation!: string;

  @Field(() => String, { nullable: true, description: 'The type of the record written (writes).' })
  @Column({ type: 'text', nullable: true })
  subjectType!: string | null;

  @Field(() => String, { nullable: true, description: 'The id of the record written (writes).' })
  @Column({ type: 'text', nullable: true })
  subjectId!: string | null;

  @Field(() => [String], { description: 'Protected fields returned and protected filters and sorts used (reads), or fields changed (writes), as `Type.field`.' })
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  fields!: string[];

  @Field(() => AccessLevel, { description: 'The most sensitive level of what went out (reads) or was changed (writes).' })
  @Column({ type: 'enum', enum: AccessLevel, enumName: 'confidentiality', default: AccessLevel.PUBLIC })
  level!: AccessLevel;

  @Field(() => [Disclosure], { description: 'READ and EXPORT: the kinds of protected information that went out.' })
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  kinds!: Disclosure[];

  @Field(() => [AuditProbe], {
    nullable: true,
    description: 'READ and EXPORT: each use of a protected filter or sort. A run of ever smaller boxes that still match is a search for a position.',
  })
  @Column({ type: 'jsonb', nullable: true })
  probes!: ProbeRecord[] | null;

  @Field(() => [String], { description: `Records whose protected values or content were returned, as \`Type:id\` (at most 1,000).` })
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  subjects!: string[];

  @Field(() => Int, { description: 'How many records had protected values or content returned (exact).' })
  @Column({ type: 'int', default: 0 })
  subjectCount!: number;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Writes: each changed field with its value before and after.' })
  @Sensitive(AccessLevel.CONFIDENTIAL, 'Holds the before and after values of protected fields.')
  @Column({ type: 'jsonb', nullable: true })
  changes!: Record<string, { before: unknown; after: unknown }> | null;

  @Field(() => String, { nullable: true, description: 'The reason the actor gave.' })
  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Field(() => String, { nullable: true, description: 'The HTTP request id, to match the service logs.' })
  @Column({ type: 'text', nullable: true })
  requestId!: string | null;
}
