import { Field, ID, InputType } from '@nestjs/graphql';
import { GraphQLDateTime } from '../../common/date-time';
import { ArrayMaxSize, IsDate, IsEnum, IsOptional, IsString, IsUUID, MaxLength } from 'class-validator';
import { Disclosure } from '../../access/access-recorder';
import { AuditAction } from '../audit-event.entity';

@InputType()
export class AuditFilter {
  @Field(() => ID, { nullable: true, description: 'Only what this account did.' })
  @IsOptional()
  @IsUUID('all', { message: 'must be an id (UUID)' })
  accountId?: string;

  @Field(() => [AuditAction], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsEnum(AuditAction, { each: true })
  actions?: AuditAction[];

  @Field(() => String, { nullable: true, description: 'Only events about records of this type (written, or read).' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  subjectType?: string;

  @Field(() => String, { nullable: true, description: 'Only events about this record (written, or read).' })
  @IsOptional()
  @IsString()
  @MaxLength(100)
  subjectId?: string;

  @Field(() => String, { nullable: true, description: 'Only events that read, used or changed this field, filter or sort (`IncidentFilter.within`).' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  field?: string;

  @Field(() => [Disclosure], { nullable: true, description: 'Only reads and exports that carried any of these kinds of protected information.' })
  @IsOptional()
  @ArrayMaxSize(10)
  @IsEnum(Disclosure, { each: true })
  kinds?: Disclosure[];

  @Field(() => GraphQLDateTime, { nullable: true, description: 'On or after this time.' })
  @IsOptional()
  @IsDate()
  since?: Date;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'Before this time.' })
  @IsOptional()
  @IsDate()
  until?: Date;
}
