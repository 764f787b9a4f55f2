import { Field, ObjectType } from '@nestjs/graphql';
import { Column } from 'typeorm';
import { DateFields, DatePrecision, spanOf } from './date-precision';
import { formatEdtf } from './edtf';

/** A date as the sources give it: "Friday 2 June" (day), "late December" (month, with the
 * words kept), "since April 2017" (open interval). Embedded in every dated record; one GraphQL
 * type everywhere. */
@ObjectType({ description: 'A date with the precision the sources give, and how sure they are.' })
export class DateWithPrecision implements DateFields {
  @Field({ description: 'First day of the period (YYYY-MM-DD); "2017-04" is 2017-04-01.' })
  @Column({ type: 'date' })
  start!: string;

  @Field(() => String, { nullable: true, description: 'First day of the last period of an interval.' })
  @Column({ type: 'date', nullable: true })
  end!: string | null;

  @Field(() => DatePrecision)
  @Column({ type: 'enum', enum: DatePrecision, enumName: 'date_precision' })
  precision!: DatePrecision;

  @Field({ description: 'EDTF "~": the sources give the date roughly, or it is inferred from context.' })
  @Column({ default: false })
  approximate!: boolean;

  @Field({ description: 'EDTF "?": the sources are unsure of the date.' })
  @Column({ default: false })
  uncertain!: boolean;

  @Field({ description: 'The span continues with no known end ("since April 2017").' })
  @Column({ default: false })
  openEnd!: boolean;

  @Field(() => String, { nullable: true, description: 'The date in the source\'s own words ("late December").' })
  @Column({ type: 'text', nullable: true })
  asReported!: string | null;

  @Field({ description: 'The date in EDTF (ISO 8601-2), e.g. 2018-12~ or 2017-04/..' })
  get edtf(): string {
    return formatEdtf(this);
  }

  @Field({ description: 'First day the date may refer to.' })
  get earliest(): string {
    return spanOf(this).earliest;
  }

  @Field(() => String, { nullable: true, description: 'Last day the date may refer to; null when open.' })
  get latest(): string | null {
    return spanOf(this).latest;
  }
}
