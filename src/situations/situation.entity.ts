import { Field, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { dateRulesSql, LatestDayColumn } from '../common/date-columns';
import { VigilRecord } from '../common/vigil-record';
import { LanguageColumn, SearchVectorColumn } from '../common/search';
import { StoredTranslation, translationsOf } from '../common/translations';
import { TEXT } from '../common/write-inputs';
import { DateWithPrecision } from '../dates/date-with-precision';
import { Region } from '../regions/region.entity';
import { ClearanceIndexes } from '../access/record-visibility';

/** Translations of the text (src/common/translations.ts). */
export const SITUATION_TEXT = translationsOf('Situation', {
  name: { description: 'The name', max: TEXT.SHORT },
  description: { description: 'The description', max: TEXT.LONG },
});

/** A pattern or campaign of abuse (the 2017 purge in Chechnya) that groups incidents, so that a
 * response can answer the whole pattern. */
@ObjectType({ description: 'A pattern or campaign of abuse that groups incidents.' })
@Entity()
// Per-clearance text indexes, created by the ClearanceIndexes migration (textMatchSql).
@ClearanceIndexes('situation_search')
@Index(['date.start', 'id'])
@Check('situation_date_rules', dateRulesSql('date'))
export class Situation extends VigilRecord {
  @Field()
  @Column({ type: 'text' })
  name!: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  description!: string | null;

  @Field(() => DateWithPrecision)
  @Column(() => DateWithPrecision, { prefix: 'date' })
  date!: DateWithPrecision;

  @Index()
  @LatestDayColumn('date')
  dateLatest?: string | null;

  @Field(() => String, { nullable: true })
  @Index()
  @Column({ type: 'text', nullable: true })
  regionCode!: string | null;

  @ManyToOne(() => Region, { nullable: true })
  @JoinColumn({ name: 'region_code' })
  region?: Region;

  @SITUATION_TEXT.column()
  translations!: StoredTranslation[];

  @LanguageColumn()
  language!: string;

  @Index('situation_search', { synchronize: false })
  @SearchVectorColumn([
    ['name', 'A'],
    ['description', 'B'],
  ], { language: 'language', translations: true })
  searchVector?: string;
}
