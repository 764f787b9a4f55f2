import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { CountEstimate } from '../common/count-estimate';
import { countRulesSql, dateRulesSql, LatestDayColumn } from '../common/date-columns';
import { VigilRecord } from '../common/vigil-record';
import { LanguageColumn, SearchVectorColumn } from '../common/search';
import { StoredTranslation, translationsOf } from '../common/translations';
import { TEXT } from '../common/write-inputs';
import { DateWithPrecision } from '../dates/date-with-precision';
import { Region } from '../regions/region.entity';
import { ClearanceIndexes } from '../access/record-visibility';

export enum ResponseKind {
  PETITION = 'PETITION',
  STATEMENT = 'STATEMENT',
  PROTEST = 'PROTEST',
  CAMPAIGN = 'CAMPAIGN',
  FUNDRAISER = 'FUNDRAISER',
  LEGAL_ACTION = 'LEGAL_ACTION',
  LETTER = 'LETTER',
  REPORT = 'REPORT',
  OTHER = 'OTHER',
}
registerEnumType(ResponseKind, {
  name: 'ResponseKind',
  description: 'PROTEST covers protests, rallies, vigils and demonstrations.',
});

/** Translations of the text (src/common/translations.ts). */
export const RESPONSE_TEXT = translationsOf('Response', {
  title: { description: 'The title', max: TEXT.SHORT },
  description: { description: 'The description', max: TEXT.LONG },
});

/** What people did in answer to abuses: a petition, a protest, a fundraiser... */
@ObjectType({ description: 'An advocacy response: petition, statement, protest, campaign, fundraiser, legal action...' })
@Entity()
// Per-clearance text indexes, created by the ClearanceIndexes migration (textMatchSql).
@ClearanceIndexes('advocacy_response_search')
@Index(['date.start', 'id'])
@Check('advocacy_response_date_rules', dateRulesSql('date'))
@Check('advocacy_response_signatures_rules', countRulesSql('signatures'))
@Check('advocacy_response_participants_rules', countRulesSql('participants'))
export class AdvocacyResponse extends VigilRecord {
  @Field(() => ResponseKind)
  @Index()
  @Column({ type: 'enum', enum: ResponseKind, enumName: 'response_kind' })
  kind!: ResponseKind;

  @Field()
  @Column({ type: 'text' })
  title!: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Field(() => DateWithPrecision)
  @Column(() => DateWithPrecision, { prefix: 'date' })
  date!: DateWithPrecision;

  @Index()
  @LatestDayColumn('date')
  dateLatest?: string | null;

  @Field(() => String, { nullable: true, description: 'Where it took place; null for online or worldwide actions.' })
  @Index()
  @Column({ type: 'text', nullable: true })
  regionCode!: string | null;

  @ManyToOne(() => Region, { nullable: true })
  @JoinColumn({ name: 'region_code' })
  region?: Region;

  @Field(() => String, { nullable: true, description: 'Venue ("Russian Embassy, London").' })
  @Column({ type: 'text', nullable: true })
  venue!: string | null;

  @Field(() => String, { nullable: true, description: 'Organizers not recorded as organizations, in the sources\' words.' })
  @Column({ type: 'text', nullable: true })
  organizersDescription!: string | null;

  @Field(() => String, { nullable: true, description: 'Whom it addresses ("Russian authorities").' })
  @Column({ type: 'text', nullable: true })
  target!: string | null;

  @Field(() => CountEstimate)
  @Column(() => CountEstimate, { prefix: 'signatures' })
  signatures!: CountEstimate;

  @Field(() => CountEstimate)
  @Column(() => CountEstimate, { prefix: 'participants' })
  participants!: CountEstimate;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  outcome!: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  url!: string | null;

  @RESPONSE_TEXT.column()
  translations!: StoredTranslation[];

  @LanguageColumn()
  language!: string;

  @Index('advocacy_response_search', { synchronize: false })
  @SearchVectorColumn([
    ['title', 'A'],
    ['description', 'B'],
  ], { language: 'language', translations: true })
  searchVector?: string;
}
