import { Field, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Check, Column, Entity, Index, JoinColumn, ManyToOne } from 'typeorm';
import { AccessLevel } from '../access/access-level';
import { CreatedAtLeast } from '../access/creation-level';
import { dateRulesSql, LatestDayColumn } from '../common/date-columns';
import { VigilRecord } from '../common/vigil-record';
import { SearchVectorColumn } from '../common/search';
import { DateWithPrecision } from '../dates/date-with-precision';
import { Organization } from '../organizations/organization.entity';
import { ClearanceIndexes } from '../access/record-visibility';

export enum SourceKind {
  NEWS_REPORT = 'NEWS_REPORT',
  NGO_REPORT = 'NGO_REPORT',
  TESTIMONY = 'TESTIMONY',
  OFFICIAL_STATEMENT = 'OFFICIAL_STATEMENT',
  SOCIAL_MEDIA = 'SOCIAL_MEDIA',
  COURT_DOCUMENT = 'COURT_DOCUMENT',
  OTHER = 'OTHER',
}
registerEnumType(SourceKind, { name: 'SourceKind' });

/** Kinds of source that are unpublished by nature: a testimony is given to the editors, not
 * published; OTHER is a kind nobody vouches was ever published (a leaked or internal document).
 * The others exist in public (a court's judgment too: a sealed one is raised by its editor). A new
 * source of these kinds is RESTRICTED unless its input says otherwise (docs/access.md). */
export const UNPUBLISHED_SOURCE_KINDS: ReadonlySet<SourceKind> = new Set([SourceKind.TESTIMONY, SourceKind.OTHER]);

/** Reliability of a source, on the HURIDOCS Events Standard Formats scale. */
export enum SourceReliability {
  HIGHLY_RELIABLE = 'HIGHLY_RELIABLE',
  RELIABLE = 'RELIABLE',
  FAIRLY_RELIABLE = 'FAIRLY_RELIABLE',
  NOT_VERY_RELIABLE = 'NOT_VERY_RELIABLE',
  HIGHLY_UNRELIABLE = 'HIGHLY_UNRELIABLE',
  UNKNOWN = 'UNKNOWN',
}
registerEnumType(SourceReliability, {
  name: 'SourceReliability',
  description: 'Reliability of the source on the HURIDOCS ESF scale.',
});

export enum Attribution {
  /** The document names it. */
  STATED = 'STATED',
  /** Vigil's editors inferred it from the document (say how in attributionNote). */
  INFERRED = 'INFERRED',
}
registerEnumType(Attribution, { name: 'Attribution', description: 'Whether the document states it or editors inferred it.' });

/** A document a claim rests on: a news report, an NGO report, a testimony... */
@ObjectType({ description: 'A document that claims rest on.' })
@Entity()
@CreatedAtLeast((values) => (UNPUBLISHED_SOURCE_KINDS.has(values.kind as SourceKind) ? AccessLevel.RESTRICTED : AccessLevel.PUBLIC))
@Index('source_publisher_trgm', { synchronize: false })
// Per-clearance text indexes, created by the ClearanceIndexes migration (textMatchSql).
@ClearanceIndexes('source_search')
@ClearanceIndexes('source_publisher_trgm')
// The sources each clearance may not see, for the visibility rule's anti-join (SearchAtScale migration).
@Index('source_hidden_public', { synchronize: false })
@Index('source_hidden_restricted', { synchronize: false })
@Check('source_published_rules', dateRulesSql('published'))
export class Source extends VigilRecord {
  @Field(() => SourceKind)
  @Index()
  @Column({ type: 'enum', enum: SourceKind, enumName: 'source_kind' })
  kind!: SourceKind;

  @Field({ description: 'Who published it, as a name ("Gay Star News").' })
  @Index()
  @Column({ type: 'text' })
  publisher!: string;

  @Field(() => Attribution, { description: 'Whether the document names its publisher or editors inferred it.' })
  @Column({ type: 'enum', enum: Attribution, enumName: 'attribution', default: Attribution.STATED })
  publisherAttribution!: Attribution;

  @Field(() => String, { nullable: true, description: 'How an inferred publisher or date was worked out.' })
  @Column({ type: 'text', nullable: true })
  attributionNote!: string | null;

  @Field(() => String, { nullable: true })
  @Index()
  @Column({ type: 'uuid', nullable: true })
  publisherOrganizationId!: string | null;

  @ManyToOne(() => Organization, { nullable: true })
  @JoinColumn({ name: 'publisher_organization_id' })
  publisherOrganization?: Organization;

  @Field()
  @Column({ type: 'text' })
  title!: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  author!: string | null;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  url!: string | null;

  @Field(() => DateWithPrecision, { description: 'When it was published (approximate when inferred).' })
  @Column(() => DateWithPrecision, { prefix: 'published' })
  published!: DateWithPrecision;

  @Field(() => String, { nullable: true, description: 'BCP 47 language tag (en, ru).' })
  @Column({ type: 'text', nullable: true })
  language!: string | null;

  @Field(() => SourceReliability)
  @Column({ type: 'enum', enum: SourceReliability, enumName: 'source_reliability', default: SourceReliability.UNKNOWN })
  reliability!: SourceReliability;

  @Field(() => String, { nullable: true, description: 'URL of an archived copy (Wayback Machine, perma.cc).' })
  @Column({ type: 'text', nullable: true })
  archivedUrl!: string | null;

  @Field(() => String, { nullable: true, description: 'sha256:<hex> of the copy Vigil holds, to detect later edits.' })
  @Column({ type: 'text', nullable: true })
  contentHash!: string | null;

  /** The last day `published` may refer to (generated; see docs/dates-and-counts.md). */
  @Index()
  @LatestDayColumn('published')
  publishedLatest?: string | null;

  @Index('source_search', { synchronize: false })
  @SearchVectorColumn([
    ['title', 'A'],
    ['publisher', 'B'],
  ], { language: 'language' })
  searchVector?: string;
}
