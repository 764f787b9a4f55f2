import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLDateTime } from '../common/date-time';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AccessLevel } from '../access/access-level';
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

  @Field(() => [String], { description: 'Protected fields returned (reads) or fields changed (writes), as `Type.field`.' })
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  fields!: string[];

  @Field(() => AccessLevel, { description: 'The most sensitive level among the fields.' })
  @Column({ type: 'enum', enum: AccessLevel, enumName: 'confidentiality', default: AccessLevel.PUBLIC })
  level!: AccessLevel;

  @Field(() => [String], { description: `Records whose protected values were returned, as \`Type:id\` (at most 1,000).` })
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  subjects!: string[];

  @Field(() => Int, { description: 'How many records had protected values returned (exact).' })
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
