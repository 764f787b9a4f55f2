import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column } from 'typeorm';

export enum CountBasis {
  /** A specific figure stated by a source ("40 people"). */
  DOCUMENTED = 'DOCUMENTED',
  /** An approximate or inferred figure ("over 100", "nearly one hundred"). */
  ESTIMATED = 'ESTIMATED',
}

registerEnumType(CountBasis, {
  name: 'CountBasis',
  description: 'DOCUMENTED: a specific figure a source states; ESTIMATED: an approximate or inferred figure.',
});

/** A count as reports give it: "over 100 men" is atLeast 100, no atMost, ESTIMATED. */
@ObjectType({ description: 'A count as a range: at least, best estimate, at most. Unknown parts are null.' })
export class CountEstimate {
  @Field(() => Int, { nullable: true })
  @Column({ type: 'int', nullable: true })
  atLeast!: number | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: 'int', nullable: true })
  best!: number | null;

  @Field(() => Int, { nullable: true })
  @Column({ type: 'int', nullable: true })
  atMost!: number | null;

  @Field(() => CountBasis, { nullable: true })
  @Column({ type: 'enum', enum: CountBasis, enumName: 'count_basis', nullable: true })
  basis!: CountBasis | null;

  @Field(() => String, { nullable: true, description: 'The count in the source\'s own words ("over 100 men").' })
  @Column({ type: 'text', nullable: true })
  asReported!: string | null;
}
