import { Field, InputType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, MaxLength } from 'class-validator';
import { SourceKind, SourceReliability } from '../source.entity';

@InputType()
export class SourceFilter {
  @Field(() => [SourceKind], { nullable: true })
  @IsOptional()
  @IsEnum(SourceKind, { each: true })
  kinds?: SourceKind[];

  @Field(() => String, { nullable: true, description: 'Publisher name, case-insensitive exact match.' })
  @IsOptional()
  @IsString()
  @MaxLength(300)
  publisher?: string;

  @Field(() => [SourceReliability], { nullable: true })
  @IsOptional()
  @IsEnum(SourceReliability, { each: true })
  reliabilities?: SourceReliability[];
}
