import { Field, InputType } from '@nestjs/graphql';
import { ArrayMaxSize, IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { TimeFilter } from '../../common/filters';
import { SourceKind, SourceReliability } from '../source.entity';

@InputType({ description: 'Dates are publication dates.' })
export class SourceFilter extends TimeFilter {
  @Field(() => [SourceKind], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsEnum(SourceKind, { each: true })
  kinds?: SourceKind[];

  @Field(() => String, { nullable: true, description: 'Part of the publisher\'s name, case-insensitive.' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  publisher?: string;

  @Field(() => [SourceReliability], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(50)
  @IsEnum(SourceReliability, { each: true })
  reliabilities?: SourceReliability[];
}
