import { Field, Float, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { AccessLevel } from '../access/access-level';
import { Sensitive } from '../access/sensitive.decorator';
import { CountEstimate } from '../common/count-estimate';
import { countRulesSql, dateRulesSql, LatestDayColumn } from '../common/date-columns';
import { VigilRecord } from '../common/vigil-record';
import { LanguageColumn, SearchVectorColumn } from '../common/search';
import { StoredTranslation, translationsOf } from '../common/translations';
import { TEXT } from '../common/write-inputs';
import { LocationPrecision, VerificationStatus } from '../common/vocabularies';
import { DateWithPrecision } from '../dates/date-with-precision';
import { Region } from '../regions/region.entity';
import { Situation } from '../situations/situation.entity';
import { IncidentKind } from './incident-kind';
import { ClearanceIndexes } from '../access/record-visibility';

/** Translations of the text (src/common/translations.ts). */
export const INCIDENT_TEXT = translationsOf('Incident', {
  headline: { description: 'The headline', max: TEXT.SHORT },
  description: { description: 'The description', max: TEXT.LONG },
});

/** One act or a set of acts at one time and place, as reported. */
@ObjectType({ description: 'One act or a set of acts at one time and place, as reported by its sources.' })
@Entity()
@Index(['date.start', 'id'])
// Created by the ResearchApi migration (trigram and expression indexes TypeORM cannot declare).
@Index('incident_perpetrator_trgm', { synchronize: false })
// Per-clearance text indexes, created by the ClearanceIndexes migration (textMatchSql).
@ClearanceIndexes('incident_search')
@ClearanceIndexes('incident_perpetrator_trgm')
@Index('incident_region_date', { synchronize: false })
@Index('incident_updated_order', { synchronize: false })
@Index('incident_victims_order', { synchronize: false })
@Index('incident_deaths_order', { synchronize: false })
// Created by the StatsCoveringIndex migration (INCLUDE columns, partial).
@Index('incident_region_stats', { synchronize: false })
// Created by the ChangeStamps migration: UPDATED_DESC for viewers below CONFIDENTIAL.
@Index('incident_public_updated_order', { synchronize: false })
@Index('incident_restricted_updated_order', { synchronize: false })
@Check('incident_date_rules', dateRulesSql('date'))
@Check('incident_victims_rules', countRulesSql('victims'))
@Check('incident_deaths_rules', countRulesSql('deaths'))
export class Incident extends VigilRecord {
  @Field(() => IncidentKind)
  @Index()
  @Column({ type: 'enum', enum: IncidentKind, enumName: 'incident_kind' })
  kind!: IncidentKind;

  @Field()
  @Column({ type: 'text' })
  headline!: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Field(() => DateWithPrecision)
  @Column(() => DateWithPrecision, { prefix: 'date' })
  date!: DateWithPrecision;

  @Index()
  @LatestDayColumn('date')
  dateLatest?: string | null;

  @Field({ description: 'ISO 3166 code of the country or subdivision.' })
  @Index()
  @Column({ type: 'text' })
  regionCode!: string;

  @ManyToOne(() => Region)
  @JoinColumn({ name: 'region_code' })
  region?: Region;

  @Field(() => String, { nullable: true, description: 'Town, district or place, as precise as is safe to publish.' })
  @Column({ type: 'text', nullable: true })
  locality!: string | null;

  @Field(() => Float, { nullable: true })
  @Sensitive(AccessLevel.RESTRICTED, 'Exact coordinates can identify victims, witnesses and safe houses.')
  @Column({ type: 'double precision', nullable: true })
  latitude!: number | null;

  @Field(() => Float, { nullable: true })
  @Sensitive(AccessLevel.RESTRICTED, 'Exact coordinates can identify victims, witnesses and safe houses.')
  @Column({ type: 'double precision', nullable: true })
  longitude!: number | null;

  @Field(() => LocationPrecision)
  @Column({ type: 'enum', enum: LocationPrecision, enumName: 'location_precision', default: LocationPrecision.REGION })
  locationPrecision!: LocationPrecision;

  @Field(() => CountEstimate, { description: 'People harmed.' })
  @Column(() => CountEstimate, { prefix: 'victims' })
  victims!: CountEstimate;

  @Field(() => CountEstimate, { description: 'People killed.' })
  @Column(() => CountEstimate, { prefix: 'deaths' })
  deaths!: CountEstimate;

  @Field(() => String, { nullable: true, description: 'The perpetrator as the sources describe them.' })
  @Column({ type: 'text', nullable: true })
  perpetratorDescription!: string | null;

  @Field(() => VerificationStatus)
  @Index()
  @Column({ type: 'enum', enum: VerificationStatus, enumName: 'verification_status', default: VerificationStatus.REPORTED })
  verificationStatus!: VerificationStatus;

  @Field(() => String, { nullable: true })
  @Sensitive(AccessLevel.CONFIDENTIAL, 'Editors\' working notes may name sources and people at risk.')
  @Column({ type: 'text', nullable: true })
  internalNotes!: string | null;

  @Field(() => String, { nullable: true })
  @Index()
  @Column({ type: 'uuid', nullable: true })
  situationId!: string | null;

  @ManyToOne(() => Situation, { nullable: true })
  @JoinColumn({ name: 'situation_id' })
  situation?: Situation;

  @INCIDENT_TEXT.column()
  translations!: StoredTranslation[];

  @LanguageColumn()
  language!: string;

  /** Headline (A) and description (B) in the incident's language, and the terms of its kind (D),
   * for full-text search; citations' excerpts are searched too. */
  @Index('incident_search', { synchronize: false })
  @SearchVectorColumn(
    [
      ['headline', 'A'],
      ['description', 'B'],
    ],
    { language: 'language', translations: true, extra: "setweight(vigil_kind_terms(kind), 'D')" },
  )
  searchVector?: string;
}
