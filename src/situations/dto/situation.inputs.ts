import { Field, IntersectionType, InputType, PartialType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsDefined, IsOptional, IsString, Length, MaxLength, ValidateNested } from 'class-validator';
import { IsRegionCode } from '../../common/validators';
import { DateInput, TEXT } from '../../common/write-inputs';
import { Reasoned, RecordFields, UpdateInputOf } from '../../editing/dto/write.inputs';
import { LanguageInput } from '../../common/search';
import { SITUATION_TEXT } from '../situation.entity';

@InputType({ description: 'A pattern or campaign of abuse that groups incidents.' })
export class SituationInput extends RecordFields {
  @LanguageInput()
  language?: string;

  @SITUATION_TEXT.input()
  translations?: InstanceType<typeof SITUATION_TEXT.TranslationInput>[];

  @Field()
  @IsString()
  @Length(1, TEXT.SHORT)
  name!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT.LONG)
  description?: string | null;

  @Field(() => DateInput)
  @IsDefined({ message: 'is required' })
  @ValidateNested()
  @Type(() => DateInput)
  date!: DateInput;

  @Field(() => String, { nullable: true, description: 'ISO 3166 code (RU, RU-CE).' })
  @IsOptional()
  @IsRegionCode()
  regionCode?: string | null;
}

@InputType()
export class CreateSituationInput extends IntersectionType(SituationInput, Reasoned) {}

@InputType({ description: 'Fields of a situation to change.' })
export class SituationChanges extends PartialType(SituationInput, { skipNullProperties: false }) {}
@InputType({ description: 'Changes to a Situation, based on the version you read.' })
export class UpdateSituationInput extends UpdateInputOf(SituationChanges) {}
