import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { GraphQLDateTime } from './date-time';
import {
  Column,
  CreateDateColumn,
  DeleteDateColumn,
  PrimaryGeneratedColumn,
  UpdateDateColumn,
  VersionColumn,
} from 'typeorm';
import { AccessLevel } from '../access/access-level';

/** Columns every record carries: id, timestamps, optimistic-lock version, soft-delete mark and the
 * record's confidentiality. Nothing is removed by an ordinary delete. */
@ObjectType({ isAbstract: true })
export abstract class VigilRecord {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field(() => GraphQLDateTime)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Field(() => GraphQLDateTime)
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @Field(() => Int, { description: 'Increases on every change; writes name the version they are based on.' })
  @VersionColumn({ default: 1 })
  version!: number;

  /** Soft-delete mark: deleted records are hidden everywhere, except from editors who ask for them. */
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the record was deleted; only editors who ask (includeDeleted) see deleted records.' })
  @DeleteDateColumn({ type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  @Field(() => AccessLevel, { description: 'Who may see this record at all.' })
  @Column({ type: 'enum', enum: AccessLevel, enumName: 'confidentiality', default: AccessLevel.PUBLIC })
  confidentiality!: AccessLevel;
}
