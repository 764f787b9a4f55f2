import { Field, IntersectionType, ID, InputType, PartialType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsDefined, IsEnum, IsOptional, IsString, IsUUID, Length, MaxLength, ValidateNested } from 'class-validator';
import { Omittable } from '../../common/optional';
import { IsHttpUrl, IsRegionCode, RefersTo } from '../../common/validators';
import { CountInput, DateInput, TEXT } from '../../common/write-inputs';
import { Reasoned, RecordFields, UpdateInputOf } from '../../editing/dto/write.inputs';
import { Incident } from '../../incidents/incident.entity';
import { Organization } from '../../organizations/organization.entity';
import { Situation } from '../../situations/situation.entity';
import { NewCitationInput } from '../../sources/dto/source.inputs';
import { AdvocacyResponse, RESPONSE_TEXT, ResponseKind } from '../advocacy-response.entity';
import { OrganizerRole } from '../response-links.entity';
import { LanguageInput } from '../../common/search';

const ID_MESSAGE = { message: 'must be an id (UUID)' };

@InputType({ description: 'An advocacy response: petition, statement, protest, campaign, fundraiser, legal action...' })
export class AdvocacyResponseInput extends RecordFields {
  @LanguageInput()
  language?: string;

  @RESPONSE_TEXT.input()
  translations?: InstanceType<typeof RESPONSE_TEXT.TranslationInput>[];

  @Field(() => ResponseKind)
  @IsEnum(ResponseKind)
  kind!: ResponseKind;

  @Field()
  @IsString()
  @Length(1, TEXT.SHORT)
  title!: string;

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

  @Field(() => String, { nullable: true, description: 'ISO 3166 code; null for online or worldwide actions.' })
  @IsOptional()
  @IsRegionCode()
  regionCode?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT.SHORT)
  venue?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT.LONG)
  organizersDescription?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT.SHORT)
  target?: string | null;

  @Field(() => CountInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => CountInput)
  signatures?: CountInput | null;

  @Field(() => CountInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => CountInput)
  participants?: CountInput | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT.LONG)
  outcome?: string | null;

  @Field(() => String, { nullable: true, description: 'http or https.' })
  @IsOptional()
  @IsHttpUrl()
  url?: string | null;
}

@InputType({ description: 'An organization\'s part in a response.' })
export class OrganizerInput {
  @Field(() => ID)
  @IsUUID('all', ID_MESSAGE)
  @RefersTo(() => Organization)
  organizationId!: string;

  @Field(() => OrganizerRole, { nullable: true, description: 'ORGANIZER when left out.' })
  @Omittable()
  @IsEnum(OrganizerRole)
  role?: OrganizerRole;
}

/** What a response answers and who runs it. */
@InputType({ isAbstract: true })
export class ResponseLinks {
  @Field(() => [ID], { nullable: true, description: 'Incidents it answers.' })
  @IsOptional()
  @ArrayMaxSize(1000)
  @IsUUID('all', { each: true, ...ID_MESSAGE })
  @RefersTo(() => Incident)
  incidentIds?: string[];

  @Field(() => [ID], { nullable: true, description: 'Situations (patterns of abuse) it answers.' })
  @IsOptional()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true, ...ID_MESSAGE })
  @RefersTo(() => Situation)
  situationIds?: string[];

  @Field(() => [OrganizerInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => OrganizerInput)
  organizers?: OrganizerInput[];
}

@InputType({ description: 'A new response with, in the same transaction, what it answers, its organizers and citations.' })
export class CreateAdvocacyResponseInput extends IntersectionType(AdvocacyResponseInput, IntersectionType(ResponseLinks, Reasoned)) {
  @Field(() => [NewCitationInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => NewCitationInput)
  citations?: NewCitationInput[];
}

@InputType({ description: 'Links to add to, or remove from, a response: what it answers and who organizes it.' })
export class ResponseLinksInput extends IntersectionType(ResponseLinks, Reasoned) {
  @Field(() => ID)
  @IsUUID('all', ID_MESSAGE)
  @RefersTo(() => AdvocacyResponse)
  responseId!: string;
}

@InputType({ description: 'Fields of a response to change.' })
export class AdvocacyResponseChanges extends PartialType(AdvocacyResponseInput, { skipNullProperties: false }) {}
@InputType({ description: 'Changes to a AdvocacyResponse, based on the version you read.' })
export class UpdateAdvocacyResponseInput extends UpdateInputOf(AdvocacyResponseChanges) {}
