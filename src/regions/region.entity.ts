import { Field, Float, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

export enum RegionKind {
  COUNTRY = 'COUNTRY',
  SUBDIVISION = 'SUBDIVISION',
}
registerEnumType(RegionKind, { name: 'RegionKind' });

/** A region's representative point: where a map puts what is known only to be in the region. */
@ObjectType({ description: "A region's representative point (WGS 84), from the `country-state-city` package." })
export class RegionPoint {
  @Field(() => Float)
  latitude!: number;

  @Field(() => Float)
  longitude!: number;

  @Field(() => String, { description: 'The region the point is of: the region itself, or the nearest enclosing region when the data has no point for it.' })
  regionCode!: string;
}

@ObjectType({ description: 'A display name of a region in one language.' })
export class RegionName {
  @Field({ description: 'ISO 639-1 language code (en, ru, fr, es, ar).' })
  language!: string;

  @Field()
  name!: string;
}

/** An ISO 3166-1 country or ISO 3166-2 subdivision, loaded from the `iso-3166` package at start
 * (see RegionsService.sync), never typed by hand, with names and a representative point from
 * maintained data packages (region-names.ts). Reference data, keyed by its code. */
@ObjectType({ description: 'An ISO 3166-1 country or ISO 3166-2 subdivision (RU, RU-CE, GB-SCT).' })
@Entity()
export class Region {
  @Field({ description: 'ISO 3166 code: RU, RU-CE, GB-SCT.' })
  @PrimaryColumn({ type: 'text' })
  code!: string;

  /** The ISO 3166 name ("Chechenskaya Respublika"), in the column `name`; GraphQL's `name` is the
   * English display name (RegionsResolver.name). */
  @Field({ description: 'The name ISO 3166 gives (Chechenskaya Respublika); see name for the common one.' })
  @Column({ type: 'text', name: 'name' })
  isoName!: string;

  /** A display name in every language of REGION_LANGUAGES ({"en": "Chechnya", "ru": "Чечня"}). */
  @Column({ type: 'jsonb', default: {} })
  names!: Record<string, string>;

  /** Its names in every language and its ISO name, for full-text search: an incident matches a
   * search that names its place (src/incidents/incidents.service.ts). Accents folded, no stemming:
   * names are not words. */
  @Index('region_search', { synchronize: false })
  @Column({
    type: 'tsvector',
    nullable: true,
    generatedType: 'STORED',
    asExpression: `to_tsvector('vigil_simple'::regconfig, names) || to_tsvector('vigil_simple'::regconfig, coalesce(name, ''))`,
    insert: false,
    update: false,
    select: false,
  })
  searchVector?: string;

  /** Other names that find the region in a search: official names, other spellings. */
  @Column({ type: 'text', array: true, default: [] })
  aliases!: string[];

  /** The representative point, the region's own or its nearest enclosing region's (pointCode). */
  @Column({ type: 'double precision', nullable: true })
  latitude!: number | null;

  @Column({ type: 'double precision', nullable: true })
  longitude!: number | null;

  @Column({ type: 'text', nullable: true })
  pointCode!: string | null;

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
