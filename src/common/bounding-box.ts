import { Field, Float, InputType } from '@nestjs/graphql';
import { IsLatitude, IsLongitude } from 'class-validator';
import { ObjectLiteral, SelectQueryBuilder } from 'typeorm';
import { UserInputError } from './errors';

/** A latitude/longitude rectangle in WGS 84 degrees. When west is greater than east the box
 * crosses the antimeridian. */
@InputType({ description: 'A rectangle in WGS 84 degrees; west > east crosses the antimeridian.' })
export class BoundingBox {
  @Field(() => Float)
  @IsLatitude({ message: 'must be a latitude, -90 to 90' })
  south!: number;

  @Field(() => Float)
  @IsLongitude({ message: 'must be a longitude, -180 to 180' })
  west!: number;

  @Field(() => Float)
  @IsLatitude({ message: 'must be a latitude, -90 to 90' })
  north!: number;

  @Field(() => Float)
  @IsLongitude({ message: 'must be a longitude, -180 to 180' })
  east!: number;
}

/** Keeps rows whose point lies in `box`; rows without coordinates are left out. */
export function applyBoundingBox<T extends ObjectLiteral>(qb: SelectQueryBuilder<T>, alias: string, box: BoundingBox, argument: string): void {
  if (box.north < box.south) throw UserInputError.of(`${argument}.north`, 'is south of south');
  qb.andWhere(`${alias}.latitude BETWEEN :bboxSouth AND :bboxNorth`, { bboxSouth: box.south, bboxNorth: box.north });
  const op = box.west <= box.east ? 'AND' : 'OR';
  qb.andWhere(`(${alias}.longitude >= :bboxWest ${op} ${alias}.longitude <= :bboxEast)`, { bboxWest: box.west, bboxEast: box.east });
}
