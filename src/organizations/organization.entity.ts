import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { Region } from '../regions/region.entity';
import { VigilRecord } from '../common/vigil-record';

export enum OrganizationKind {
  NGO = 'NGO',
  MEDIA = 'MEDIA',
  GOVERNMENT = 'GOVERNMENT',
  INTERGOVERNMENTAL = 'INTERGOVERNMENTAL',
  ACADEMIC = 'ACADEMIC',
  OTHER = 'OTHER',
}
registerEnumType(OrganizationKind, { name: 'OrganizationKind' });

@ObjectType({ description: 'An NGO, media outlet, government or intergovernmental body.' })
@Entity()
export class Organization extends VigilRecord {
  @Field()
  @Index()
  @Column({ type: 'text' })
  name!: string;

  @Field(() => OrganizationKind)
  @Column({ type: 'enum', enum: OrganizationKind, enumName: 'organization_kind' })
  kind!: OrganizationKind;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  website!: string | null;

  @Field(() => String, { nullable: true, description: 'Region (usually a country) where it is based.' })
  @Index()
  @Column({ type: 'text', nullable: true })
  regionCode!: string | null;

  @ManyToOne(() => Region, { nullable: true })
  @JoinColumn({ name: 'region_code' })
  region?: Region;
}
