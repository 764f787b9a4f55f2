import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export enum RegionKind {
  COUNTRY = 'COUNTRY',
  SUBDIVISION = 'SUBDIVISION',
}
registerEnumType(RegionKind, { name: 'RegionKind' });

/** An ISO 3166-1 country or ISO 3166-2 subdivision, loaded from the `iso-3166` package at start
 * (see RegionsService.syncFromIso3166), never typed by hand. Reference data, keyed by its code. */
@ObjectType({ description: 'An ISO 3166-1 country or ISO 3166-2 subdivision (RU, RU-CE, GB-SCT).' })
@Entity()
export class Region {
  @Field({ description: 'ISO 3166 code: RU, RU-CE, GB-SCT.' })
  @PrimaryColumn({ type: 'text' })
  code!: string;

  @Field()
  @Column({ type: 'text' })
  name!: string;

  @Field(() => RegionKind)
  @Column({ type: 'enum', enum: RegionKind, enumName: 'region_kind' })
  kind!: RegionKind;

  @Field(() => String, { nullable: true, description: 'Code of the enclosing region; null for a country.' })
  @Index()
  @Column({ type: 'text', nullable: true })
  parentCode!: string | null;

  @Field({ description: 'ISO 3166-1 alpha-2 code of the country the region is in (itself for a country).' })
  @Index()
  @Column({ type: 'text' })
  countryCode!: string;

  /** The region and every region enclosing it, for "a country includes its subdivisions". */
  @Column({ type: 'text', array: true })
  path!: string[];
}
