import { Field, ID, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { GraphQLDateTime } from '../common/date-time';
import { GraphQLJSONObject } from 'graphql-scalars';
import { Column, CreateDateColumn, Entity, Index, PrimaryGeneratedColumn } from 'typeorm';
import { AccessLevel } from '../access/access-level';
import { Sensitive } from '../access/sensitive.decorator';
import { RecordType } from './record-type';

export enum RevisionAction {
  CREATE = 'CREATE',
  UPDATE = 'UPDATE',
  DELETE = 'DELETE',
  RESTORE = 'RESTORE',
  /** Went back to the content of an earlier revision. */
  REVERT = 'REVERT',
  /** The state of a record made outside the editing API (demo data, generator), kept before its
   * first change so that even that change can be undone. */
  BASELINE = 'BASELINE',
}
registerEnumType(RevisionAction, {
  name: 'RevisionAction',
  description: 'What a change did. BASELINE: the state of a record loaded in bulk, kept before its first edit.',
});

/** One state of a record in its history: every write adds one, so the state before any change is
 * the previous revision's. Values live here and not in the append-only audit log, so that an admin's
 * purge can remove them for good. */
@ObjectType({ description: 'A state of a record in its history: who changed it, when, why, and what changed.' })
@Entity()
@Index(['subjectType', 'subjectId', 'version'], { unique: true })
@Index(['occurredAt'])
export class Revision {
  @Field(() => ID)
  @PrimaryGeneratedColumn('identity', { type: 'bigint' })
  id!: string;

  @Field(() => RecordType)
  @Column({ type: 'enum', enum: RecordType, enumName: 'record_type' })
  subjectType!: RecordType;

  @Field(() => ID)
  @Column({ type: 'uuid' })
  subjectId!: string;

  @Field(() => Int, { description: 'The record\'s version after this change.' })
  @Column({ type: 'int' })
  version!: number;

  @Field(() => RevisionAction)
  @Column({ type: 'enum', enum: RevisionAction, enumName: 'revision_action' })
  action!: RevisionAction;

  @Field(() => GraphQLDateTime)
  @CreateDateColumn({ type: 'timestamptz' })
  occurredAt!: Date;

  @Field(() => ID, { nullable: true, description: 'The account that made the change; null for the command line or bulk loads.' })
  @Column({ type: 'uuid', nullable: true })
  accountId!: string | null;

  @Field({ description: 'Who made the change, as the audit log names them.' })
  @Column({ type: 'text' })
  actor!: string;

  @Field(() => String, { nullable: true, description: 'Why, in the editor\'s words ("second source confirms the date").' })
  @Column({ type: 'text', nullable: true })
  reason!: string | null;

  @Field(() => Int, { nullable: true, description: 'For REVERT: the version whose content was restored.' })
  @Column({ type: 'int', nullable: true })
  revertedTo!: number | null;

  @Field(() => [String], { description: 'Fields changed, as property paths (date.start, victims.atLeast).' })
  @Column({ type: 'text', array: true, default: () => "'{}'" })
  changedFields!: string[];

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'Each changed field: { before, after }.' })
  @Sensitive(AccessLevel.CONFIDENTIAL, 'Holds every value of the record, protected ones included.')
  @Column({ type: 'jsonb', nullable: true })
  changes!: Record<string, { before: unknown; after: unknown }> | null;

  /** The least clearance that could see the record just before and just after this change: its own
   * confidentiality and that of every record it depended on (DEPENDS_ON in
   * src/access/record-visibility.ts) at that moment, CONFIDENTIAL while it or one of them was
   * deleted; null before it existed. The removal feed (removedSince) names a removal only to those
   * who could see the record when it left, whatever the levels are now. */
  @Column({ type: 'enum', enum: AccessLevel, enumName: 'confidentiality', nullable: true })
  seenBefore!: AccessLevel | null;

  @Column({ type: 'enum', enum: AccessLevel, enumName: 'confidentiality', nullable: true })
  seenAfter!: AccessLevel | null;

  @Field(() => GraphQLJSONObject, { nullable: true, description: 'The whole record after this change.' })
  @Sensitive(AccessLevel.CONFIDENTIAL, 'Holds every value of the record, protected ones included.')
  @Column({ type: 'jsonb' })
  state!: Record<string, unknown>;
}
