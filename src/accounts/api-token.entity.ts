import { Field, ID, ObjectType } from '@nestjs/graphql';
import { GraphQLDateTime } from '../common/date-time';
import { Column, CreateDateColumn, Entity, Index, JoinColumn, ManyToOne, PrimaryGeneratedColumn } from 'typeorm';
import { Account } from './account.entity';

/** An API token. Only the SHA-256 of the token is stored: the token itself is shown once, when it
 * is created, and cannot be recovered. */
@ObjectType({ description: 'An API token (never the token itself: it is shown once, at creation).' })
@Entity()
export class ApiToken {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => ID)
  @Index()
  @Column({ type: 'uuid' })
  accountId!: string;

  @ManyToOne(() => Account)
  @JoinColumn({ name: 'account_id' })
  account?: Account;

  @Field({ description: 'What the token is for, e.g. "laptop" or "R scripts".' })
  @Column({ type: 'text' })
  name!: string;

  @Field({ description: 'The first characters of the token, to recognise it.' })
  @Column({ type: 'text' })
  prefix!: string;

  /** Hex SHA-256 of the whole token. */
  @Column({ type: 'text', unique: true })
  tokenHash!: string;

  @Field(() => GraphQLDateTime)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  expiresAt!: Date | null;

  @Field(() => GraphQLDateTime, { nullable: true })
  @Column({ type: 'timestamptz', nullable: true })
  revokedAt!: Date | null;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'Updated at most once a minute.' })
  @Column({ type: 'timestamptz', nullable: true })
  lastUsedAt!: Date | null;
}
