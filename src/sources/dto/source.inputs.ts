import { Field, IntersectionType, ID, InputType, PartialType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsDefined, IsEnum, IsOptional, IsString, IsUUID, Length, Matches, MaxLength, ValidateNested } from 'class-validator';
import { Omittable } from '../../common/optional';
import { IsHttpUrl, IsOptionalId, RefersTo } from '../../common/validators';
import { DateInput, OneOf, TEXT } from '../../common/write-inputs';
import { Reasoned, RecordFields, UpdateInputOf } from '../../editing/dto/write.inputs';
import { Incident } from '../../incidents/incident.entity';
import { Organization } from '../../organizations/organization.entity';
import { AdvocacyResponse } from '../../responses/advocacy-response.entity';
import { Situation } from '../../situations/situation.entity';
import { Source, Attribution, SourceKind, SourceReliability } from '../source.entity';
import { LanguageInput } from '../../common/search';
import { CITATION_TEXT } from '../citation.entity';

const ID_MESSAGE = { message: 'must be an id (UUID)' };

@InputType({ description: 'A source document.' })
export class SourceInput extends RecordFields {
  @Field(() => SourceKind)
  @IsEnum(SourceKind)
  kind!: SourceKind;

  @Field({ description: 'Who published it, as a name ("Gay Star News").' })
  @IsString()
  @Length(1, TEXT.SHORT)
  publisher!: string;

  @Field(() => Attribution, { nullable: true })
  @Omittable()
  @IsEnum(Attribution)
  publisherAttribution?: Attribution;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT.LONG)
  attributionNote?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', ID_MESSAGE)
  @RefersTo(() => Organization)
  publisherOrganizationId?: string | null;

  @Field()
  @IsString()
  @Length(1, TEXT.SHORT)
  title!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT.SHORT)
  author?: string | null;

  @Field(() => String, { nullable: true, description: 'http or https.' })
  @IsOptional()
  @IsHttpUrl()
  url?: string | null;

  @Field(() => DateInput, { description: 'When it was published.' })
  @IsDefined({ message: 'is required' })
  @ValidateNested()
  @Type(() => DateInput)
  published!: DateInput;

  @Field(() => String, { nullable: true, description: 'BCP 47 language tag (en, ru, pt-BR).' })
  @IsOptional()
  @Matches(/^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/, { message: 'must be a BCP 47 language tag such as en, ru or pt-BR' })
  language?: string | null;

  @Field(() => SourceReliability, { nullable: true })
  @Omittable()
  @IsEnum(SourceReliability)
  reliability?: SourceReliability;

  @Field(() => String, { nullable: true, description: 'http or https.' })
  @IsOptional()
  @IsHttpUrl()
  archivedUrl?: string | null;

  @Field(() => String, { nullable: true, description: 'sha256:<64 hex digits>.' })
  @IsOptional()
  @Matches(/^sha256:[0-9a-f]{64}$/, { message: 'must be sha256: followed by 64 lower-case hex digits' })
  contentHash?: string | null;
}

@InputType()
export class CreateSourceInput extends IntersectionType(SourceInput, Reasoned) {}

@InputType({ description: 'Fields of a source to change.' })
export class SourceChanges extends PartialType(SourceInput, { skipNullProperties: false }) {}
@InputType({ description: 'Changes to a Source, based on the version you read.' })
export class UpdateSourceInput extends UpdateInputOf(SourceChanges) {}

/** What a citation says, whatever it cites. */
@InputType({ isAbstract: true })
export class CitationFields extends RecordFields {
  @LanguageInput()
  language?: string;

  @CITATION_TEXT.input()
  translations?: InstanceType<typeof CITATION_TEXT.TranslationInput>[];

  @Field(() => String, { nullable: true, description: 'The words of the source that support the claim.' })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT.LONG)
  excerpt?: string | null;

  @Field(() => String, { nullable: true, description: 'What the excerpt supports ("date", "victim count").' })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT.PHRASE)
  claim?: string | null;

  @Field(() => String, { nullable: true, description: 'Where in the source: page, paragraph, timestamp.' })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT.PHRASE)
  locator?: string | null;
}

@InputType({ description: 'A citation written with the record it supports: an existing source (sourceId) or a new one (source).' })
export class NewCitationInput extends CitationFields {
  @Field(() => ID, { nullable: true })
  @OneOf('sourceId', 'source')
  @IsOptionalId()
  @RefersTo(() => Source)
  sourceId?: string | null;

  @Field(() => SourceInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => SourceInput)
  source?: SourceInput | null;
}

@InputType({ description: 'A citation of a source for exactly one incident, situation or response.' })
export class CreateCitationInput extends IntersectionType(CitationFields, Reasoned) {
  @Field(() => ID)
  @IsUUID('all', ID_MESSAGE)
  @RefersTo(() => Source)
  sourceId!: string;

  @Field(() => ID, { nullable: true })
  @OneOf('incidentId', 'situationId', 'responseId')
  @IsOptionalId()
  @RefersTo(() => Incident)
  incidentId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', ID_MESSAGE)
  @RefersTo(() => Situation)
  situationId?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', ID_MESSAGE)
  @RefersTo(() => AdvocacyResponse)
  responseId?: string | null;
}

@InputType({ description: 'Fields of a citation to change (what it cites is fixed: delete it and cite again).' })
export class CitationChanges extends PartialType(CitationFields, { skipNullProperties: false }) {}
@InputType({ description: 'Changes to a Citation, based on the version you read.' })
export class UpdateCitationInput extends UpdateInputOf(CitationChanges) {}
