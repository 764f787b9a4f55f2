import { IncludeDeleted } from '../../common/filters';
import { Field, InputType, registerEnumType } from '@nestjs/graphql';
import { IsOptional, IsString, Length } from 'class-validator';
import { FiltersOn, sortsOn } from '../../access/sensitive.decorator';
import { Person } from '../person.entity';

@InputType()
export class PersonFilter {
  @Field(() => String, { nullable: true, description: 'Part of the pseudonym, case-insensitive.' })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  pseudonym?: string;

  @Field(() => String, { nullable: true, description: 'Part of the full name or other names, case-insensitive.' })
  @FiltersOn(Person, 'fullName', 'otherNames')
  @IsOptional()
  @IsString()
  @Length(1, 200)
  name?: string;

  @IncludeDeleted()
  includeDeleted?: boolean;
}

export enum PersonOrder {
  RECENT = 'RECENT',
  PSEUDONYM = 'PSEUDONYM',
  FULL_NAME = 'FULL_NAME',
}

registerEnumType(PersonOrder, {
  name: 'PersonOrder',
  valuesMap: {
    RECENT: sortsOn(Person, ['createdAt'], 'Most recently recorded first (the default).'),
    PSEUDONYM: sortsOn(Person, ['pseudonym'], 'By pseudonym, A to Z.'),
    FULL_NAME: sortsOn(Person, ['fullName'], 'By full name, A to Z; people without one last.'),
  },
});
