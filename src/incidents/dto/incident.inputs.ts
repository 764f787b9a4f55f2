import { Field, IntersectionType, Float, ID, InputType, PartialType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { ArrayMaxSize, IsDefined, IsEnum, IsOptional, IsString, IsUUID, Length, MaxLength, ValidateNested } from 'class-validator';
import { Writes } from '../../access/sensitive.decorator';
import { Omittable } from '../../common/optional';
import { IsRegionCode, RefersTo } from '../../common/validators';
import { LocationPrecision, VerificationStatus } from '../../common/vocabularies';
import { CountInput, DateInput, objectRule, TEXT } from '../../common/write-inputs';
import { Reasoned, RecordFields, UpdateInputOf } from '../../editing/dto/write.inputs';
import { NewInvolvementInput } from '../../people/dto/person.inputs';
import { AdvocacyResponse } from '../../responses/advocacy-response.entity';
import { Situation } from '../../situations/situation.entity';
import { NewCitationInput } from '../../sources/dto/source.inputs';
import { Incident, INCIDENT_TEXT } from '../incident.entity';
import { IncidentKind } from '../incident-kind';
import { LanguageInput } from '../../common/search';

/** How far a coordinate is given: left out, cleared (null), or a value. */
const presence = (v: unknown) => (v === undefined ? 0 : v === null ? 1 : 2);

/** A latitude or longitude within ±`limit`, given together with the other: both values, both null
 * (cleared) or both left out, since one without the other is no place. An update that clears one
 * would leave the other alone, so null counts as given. A mismatch is reported on the one given. */
const Coordinate = (self: 'latitude' | 'longitude', other: 'latitude' | 'longitude', limit: number) =>
  objectRule<IncidentInput>('coordinate', (value, o) => {
    const mine = presence(value);
    const theirs = presence(o[other]);
    if (mine > theirs) return mine === 2 ? `needs ${other} too` : `clears ${self} but not ${other}: clear both`;
    if (mine < 2) return null;
    if (typeof value !== 'number' || !Number.isFinite(value)) return 'must be a number';
    if (value < -limit) return `must not be less than -${limit}`;
    if (value > limit) return `must not be greater than ${limit}`;
    return null;
  });

@InputType({ description: 'An incident: one act or a set of acts at one time and place, as reported.' })
export class IncidentInput extends RecordFields {
  @LanguageInput()
  language?: string;

  @INCIDENT_TEXT.input()
  translations?: InstanceType<typeof INCIDENT_TEXT.TranslationInput>[];

  @Field(() => IncidentKind)
  @IsEnum(IncidentKind)
  kind!: IncidentKind;

  @Field()
  @IsString()
  @Length(1, TEXT.SHORT)
  headline!: string;

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

  @Field({ description: 'ISO 3166 code of the country or subdivision (RU, RU-CE).' })
  @IsRegionCode()
  regionCode!: string;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT.SHORT)
  locality?: string | null;

  @Field(() => Float, { nullable: true })
  @Writes(Incident, 'latitude')
  @Coordinate('latitude', 'longitude', 90)
  latitude?: number | null;

  @Field(() => Float, { nullable: true })
  @Writes(Incident, 'longitude')
  @Coordinate('longitude', 'latitude', 180)
  longitude?: number | null;

  @Field(() => LocationPrecision, { nullable: true })
  @Omittable()
  @IsEnum(LocationPrecision)
  locationPrecision?: LocationPrecision;

  @Field(() => CountInput, { nullable: true, description: 'People harmed; unknown when left out.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CountInput)
  victims?: CountInput | null;

  @Field(() => CountInput, { nullable: true, description: 'People killed; unknown when left out.' })
  @IsOptional()
  @ValidateNested()
  @Type(() => CountInput)
  deaths?: CountInput | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT.LONG)
  perpetratorDescription?: string | null;

  @Field(() => VerificationStatus, { nullable: true })
  @Omittable()
  @IsEnum(VerificationStatus)
  verificationStatus?: VerificationStatus;

  @Field(() => String, { nullable: true })
  @Writes(Incident, 'internalNotes')
  @IsOptional()
  @IsString()
  @MaxLength(TEXT.LONG)
  internalNotes?: string | null;

  @Field(() => ID, { nullable: true })
  @IsOptional()
  @IsUUID('all', { message: 'must be an id (UUID)' })
  @RefersTo(() => Situation)
  situationId?: string | null;
}

@InputType({ description: 'A new incident with, in the same transaction, its citations, the people involved and the responses that answer it.' })
export class CreateIncidentInput extends IntersectionType(IncidentInput, Reasoned) {
  @Field(() => [NewCitationInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(200)
  @ValidateNested({ each: true })
  @Type(() => NewCitationInput)
  citations?: NewCitationInput[];

  @Field(() => [NewInvolvementInput], { nullable: true })
  @IsOptional()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => NewInvolvementInput)
  involvements?: NewInvolvementInput[];

  @Field(() => [ID], { nullable: true, description: 'Responses that answer this incident.' })
  @IsOptional()
  @ArrayMaxSize(200)
  @IsUUID('all', { each: true, message: 'must be an id (UUID)' })
  @RefersTo(() => AdvocacyResponse)
  responseIds?: string[];
}

@InputType({ description: 'Fields of an incident to change; a date or count is replaced whole.' })
export class IncidentChanges extends PartialType(IncidentInput, { skipNullProperties: false }) {}
@InputType({ description: 'Changes to a Incident, based on the version you read.' })
export class UpdateIncidentInput extends UpdateInputOf(IncidentChanges) {}
