import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLDateTime } from '../../common/date-time';
import { Type } from 'class-transformer';
import { IsDefined, IsEnum, IsInt, IsOptional, IsString, IsUUID, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { AccessLevel } from '../../access/access-level';
import { Omittable } from '../../common/optional';
import { REASON_DESCRIPTION, TEXT } from '../../common/write-inputs';
import { RecordType, RemovalReason } from '../record-type';

const ID_MESSAGE = { message: 'must be an id (UUID)' };

/** Fields every record has that editors set. */
@InputType({ isAbstract: true })
export abstract class RecordFields {
  // Left out is the only way to ask for the default; null is refused (Omittable), so that an
  // explicit level is always a level.
  @Field(() => AccessLevel, {
    nullable: true,
    description:
      'Who may see the record at all. Left out on creation: PUBLIC, except RESTRICTED for a person and for a source of kind ' +
      'TESTIMONY or OTHER; and a record written inside another (a citation, a new source or person in a createIncident) ' +
      'takes at least the level of the records it is written inside. Give PUBLIC to publish such a record.',
  })
  @Omittable()
  @IsEnum(AccessLevel)
  confidentiality?: AccessLevel;
}

/** The reason every write may carry. */
@InputType({ isAbstract: true })
export class Reasoned {
  @Field(() => String, { nullable: true, description: REASON_DESCRIPTION })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT.REASON)
  reason?: string | null;
}

/** An update: which record, the version it was based on, and the changed fields. */
export interface UpdateInput<C> {
  id: string;
  version: number;
  changes: C;
  reason?: string | null;
}

/** `{ id, version, changes, reason }` for a changes class; each module names its own subclass, so
 * that the validation pipe sees a real class. */
export function UpdateInputOf<C extends object>(changes: new () => C) {
  @InputType({ isAbstract: true })
  class Update extends Reasoned implements UpdateInput<C> {
    @Field(() => ID)
    @IsUUID('all', ID_MESSAGE)
    id!: string;

    @Field(() => Int, { description: 'The version your change is based on; a newer one on the server is a CONFLICT.' })
    @IsInt()
    @Min(1)
    version!: number;

    @Field(() => changes, { description: 'Only the fields to change; null clears an optional field.' })
    @IsDefined()
    @ValidateNested()
    @Type(() => changes)
    changes!: C;
  }
  return Update;
}

@InputType({ description: 'A record, and the version the change is based on.' })
export class RecordVersionInput extends Reasoned {
  @Field(() => RecordType)
  @IsEnum(RecordType)
  type!: RecordType;

  @Field(() => ID)
  @IsUUID('all', ID_MESSAGE)
  id!: string;

  @Field(() => Int)
  @IsInt()
  @Min(1)
  version!: number;
}

@InputType({ description: 'Go back to the content of an earlier revision (the deletion mark is left as it is).' })
export class RevertRecordInput extends RecordVersionInput {
  @Field(() => Int, { description: 'The revision (version) whose content to restore.' })
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  toVersion!: number;
}

@InputType({ description: 'Remove a deleted record for good, with its history. A reason is required.' })
export class PurgeRecordInput {
  @Field(() => RecordType)
  @IsEnum(RecordType)
  type!: RecordType;

  @Field(() => ID)
  @IsUUID('all', ID_MESSAGE)
  id!: string;

  @Field({ description: 'Why the record must go (kept in the audit log).' })
  @IsString()
  @Length(1, TEXT.REASON)
  reason!: string;
}

@ObjectType({ description: 'A record after a delete, restore or revert.' })
export class RecordChange {
  @Field(() => RecordType)
  type!: RecordType;

  @Field(() => ID)
  id!: string;

  @Field(() => Int)
  version!: number;

  @Field(() => GraphQLDateTime, { nullable: true })
  deletedAt!: Date | null;
}

@ObjectType({ description: 'What a purge removed.' })
export class PurgeResult {
  @Field(() => RecordType)
  type!: RecordType;

  @Field(() => ID)
  id!: string;

  @Field(() => Int, { description: 'Records removed: the record and the links and citations that depended on it.' })
  removed!: number;
}

@ObjectType({ description: 'A record you could see that has since been deleted, purged or hidden from you.' })
export class Removal {
  @Field(() => RecordType)
  type!: RecordType;

  @Field(() => ID)
  id!: string;

  @Field(() => GraphQLDateTime)
  at!: Date;

  @Field(() => RemovalReason)
  why!: RemovalReason;
}
