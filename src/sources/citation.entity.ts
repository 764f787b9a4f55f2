import { Field, ObjectType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { VigilRecord } from '../common/vigil-record';
import { LanguageColumn, SearchVectorColumn } from '../common/search';
import { StoredTranslation, translationsOf } from '../common/translations';
import { TEXT } from '../common/write-inputs';
import { Incident } from '../incidents/incident.entity';
import { AdvocacyResponse } from '../responses/advocacy-response.entity';
import { Situation } from '../situations/situation.entity';
import { Source } from './source.entity';
import { ClearanceIndexes } from '../access/record-visibility';

/** Translations of the text (src/common/translations.ts). */
export const CITATION_TEXT = translationsOf('Citation', {
  claim: { description: 'What the excerpt supports', max: TEXT.PHRASE },
  excerpt: { description: 'The words of the source that support the claim', max: TEXT.LONG },
});

/** Links a source to the one incident, situation or response it supports, with the excerpt. */
@ObjectType({ description: 'Why a claim is believed: a source, and the excerpt of it that supports the claim.' })
@Entity()
// Per-clearance text indexes, created by the ClearanceIndexes migration (textMatchSql).
@ClearanceIndexes('citation_search')
@Check('citation_one_subject', 'num_nonnulls(incident_id, situation_id, response_id) = 1')
export class Citation extends VigilRecord {
  @Field()
  @Index()
  @Column({ type: 'uuid' })
  sourceId!: string;

  @ManyToOne(() => Source)
  @JoinColumn({ name: 'source_id' })
  source?: Source;

  @Field(() => String, { nullable: true })
  // Created by the CitationsByIncident migration (INCLUDE columns: the timeline export's reads).
  @Index('citation_by_incident', { synchronize: false })
  @Column({ type: 'uuid', nullable: true })
  incidentId!: string | null;

  @ManyToOne(() => Incident, { nullable: true })
  @JoinColumn({ name: 'incident_id' })
  incident?: Incident;

  @Field(() => String, { nullable: true })
  @Index()
  @Column({ type: 'uuid', nullable: true })
  situationId!: string | null;

  @ManyToOne(() => Situation, { nullable: true })
  @JoinColumn({ name: 'situation_id' })
  situation?: Situation;

  @Field(() => String, { nullable: true })
  @Index()
  @Column({ type: 'uuid', nullable: true })
  responseId!: string | null;

  @ManyToOne(() => AdvocacyResponse, { nullable: true })
  @JoinColumn({ name: 'response_id' })
  response?: AdvocacyResponse;

  @Field(() => String, { nullable: true, description: 'The words of the source that support the claim.' })
  @Column({ type: 'text', nullable: true })
  excerpt!: string | null;

  @Field(() => String, { nullable: true, description: 'What the excerpt supports ("date", "victim count").' })
  @Column({ type: 'text', nullable: true })
  claim!: string | null;

  @Field(() => String, { nullable: true, description: 'Where in the source: page, paragraph, timestamp.' })
  @Column({ type: 'text', nullable: true })
  locator!: string | null;

  /** Claim and excerpt for full-text search: an incident matches when a visible citation does. */
  @CITATION_TEXT.column()
  translations!: StoredTranslation[];

  @LanguageColumn()
  language!: string;

  @Index('citation_search', { synchronize: false })
  @SearchVectorColumn([
    ['claim', 'A'],
    ['excerpt', 'B'],
  ], { language: 'language', translations: true })
  searchVector?: string;
}
