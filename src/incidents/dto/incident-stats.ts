import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { VerificationStatus } from '../../common/vocabularies';
import { IncidentKind } from '../incident-kind';

export enum IncidentDimension {
  YEAR = 'YEAR',
  MONTH = 'MONTH',
  COUNTRY = 'COUNTRY',
  REGION = 'REGION',
  KIND = 'KIND',
  STATUS = 'STATUS',
}

registerEnumType(IncidentDimension, {
  name: 'IncidentDimension',
  description:
    'What to group incidents by. YEAR and MONTH honour date precision: an incident is put in a year (month) only when ' +
    'its whole date span lies in that one year (month); otherwise its year (month) is null. A year-precision incident ' +
    'is never counted in January.',
  valuesMap: {
    YEAR: { description: 'Calendar year; null when the date spans more than one year or is still open.' },
    MONTH: { description: 'Calendar month as YYYY-MM; null when the date is less precise than a month or spans several months.' },
    COUNTRY: { description: 'ISO 3166-1 country of the incident\'s region.' },
    REGION: { description: 'The incident\'s own region code (a country or a subdivision).' },
    KIND: {},
    STATUS: { description: 'Verification status.' },
  },
});

@ObjectType({ description: 'A sum of count estimates as a range.' })
export class CountSum {
  @Field(() => Int, { description: 'The sum of what is known for certain ("at least", else the best estimate; unknown counts add 0).' })
  atLeast!: number;

  @Field(() => Int, { nullable: true, description: 'The sum of upper bounds; null (unbounded) when any count has no upper bound or is unknown.' })
  atMost!: number | null;

  @Field(() => Int, { description: 'The sum of best estimates, where given.' })
  best!: number;

  @Field(() => Int, { description: 'Incidents in the bucket whose count is unknown.' })
  unknown!: number;
}

@ObjectType({ description: 'One group of incidents. Only the dimensions asked for are set; the others are null.' })
export class IncidentBucket {
  @Field(() => Int, { nullable: true })
  year!: number | null;

  @Field(() => String, { nullable: true, description: 'YYYY-MM' })
  month!: string | null;

  @Field(() => String, { nullable: true })
  countryCode!: string | null;

  @Field(() => String, { nullable: true })
  regionCode!: string | null;

  @Field(() => IncidentKind, { nullable: true })
  kind!: IncidentKind | null;

  @Field(() => VerificationStatus, { nullable: true })
  verificationStatus!: VerificationStatus | null;

  @Field(() => Int, { description: 'Visible incidents in the group.' })
  incidents!: number;

  @Field(() => CountSum)
  victims!: CountSum;

  @Field(() => CountSum)
  deaths!: CountSum;

  @Field(() => Int, { description: 'Distinct visible responses answering the group\'s incidents.' })
  responses!: number;
}
