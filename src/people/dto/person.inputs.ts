import { Field, IntersectionType, ID, InputType, Int, PartialType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsEnum, IsInt, IsOptional, IsString, IsUUID, Length, Max, MaxLength, Min, ValidateNested } from 'class-validator';
import { Writes } from '../../access/sensitive.decorator';
import { IsOptionalId, RefersTo } from '../../common/validators';
import { OneOf, TEXT } from '../../common/write-inputs';
import { Reasoned, RecordFields, UpdateInputOf } from '../../editing/dto/write.inputs';
import { Incident } from '../../incidents/incident.entity';
import { Involvement, InvolvementRole } from '../involvement.entity';
import { Person } from '../person.entity';

const ID_MESSAGE = { message: 'must be an id (UUID)' };

@InputType({ description: 'A victim, witness or perpetrator. Identity and contact fields are protected.' })
export class PersonInput extends RecordFields {
  @Field({ description: 'How the public record refers to the person ("Victim A").' })
  @IsString()
  @Length(1, TEXT.SHORT)
  pseudonym!: string;

  @Field(() => String, { nullable: true })
  @Writes(Person, 'fullName')
  @IsOptional()
  @IsString()
  @MaxLength(TEXT.SHORT)
  fullName?: string | null;

  @Field(() => String, { nullable: true })
  @Writes(Person, 'otherNames')
  @IsOptional()
  @IsString()
  @MaxLength(TEXT.SHORT)
  otherNames?: string | null;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT.PHRASE)
  gender?: string | null;

  @Field(() => Int, { nullable: true })
  @IsOptional()
  @IsInt()
  @Min(1800)
  @Max(2100)
  birthYear?: number | null;

  @Field(() => String, { nullable: true })
  @Writes(Person, 'occupation')
  @IsOptional()
  @IsString()
  @MaxLength(TEXT.SHORT)
  occupation?: string | null;

  @Field(() => String, { nullable: true })
  @Writes(Person, 'contact')
  @IsOptional()
  @IsString()
  @MaxLength(TEXT.SHORT)
  contact?: string | null;

  @Field(() => String, { nullable: true })
  @Writes(Person, 'notes')
  @IsOptional()
  @IsString()
  @MaxLength(TEXT.LONG)
  notes?: string | null;
}

@InputType()
export class CreatePersonInput extends IntersectionType(PersonInput, Reasoned) {}

@InputType({ description: 'Fields of a person to change.' })
export class PersonChanges extends PartialType(PersonInput, { skipNullProperties: false }) {}
@InputType({ description: 'Changes to a Person, based on the version you read.' })
export class UpdatePersonInput extends UpdateInputOf(PersonChanges) {}

/** What an involvement says, whoever it links. */
@InputType({ isAbstract: true })
export class InvolvementFields extends RecordFields {
  @Field(() => InvolvementRole)
  @IsEnum(InvolvementRole)
  role!: InvolvementRole;

  @Field(() => String, { nullable: true, description: 'What happened to or was done by the person.' })
  @Writes(Involvement, 'description')
  @IsOptional()
  @IsString()
  @MaxLength(TEXT.LONG)
  description?: string | null;
}

@InputType({ description: 'A person\'s part, written with the incident: an existing person (personId) or a new one (person).' })
export class NewInvolvementInput extends InvolvementFields {
  @Field(() => ID, { nullable: true })
  @OneOf('personId', 'person')
  @IsOptionalId()
  @RefersTo(() => Person)
  personId?: string | null;

  @Field(() => PersonInput, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => PersonInput)
  person?: PersonInput | null;
}

@InputType({ description: 'A person\'s part in an incident.' })
export class CreateInvolvementInput extends IntersectionType(InvolvementFields, Reasoned) {
  @Field(() => ID)
  @IsUUID('all', ID_MESSAGE)
  @RefersTo(() => Incident)
  incidentId!: string;

  @Field(() => ID)
  @IsUUID('all', ID_MESSAGE)
  @RefersTo(() => Person)
  personId!: string;
}

@InputType({ description: 'Fields of an involvement to change (who and which incident are fixed).' })
export class InvolvementChanges extends PartialType(InvolvementFields, { skipNullProperties: false }) {}
@InputType({ description: 'Changes to a Involvement, based on the version you read.' })
export class UpdateInvolvementInput extends UpdateInputOf(InvolvementChanges) {}
