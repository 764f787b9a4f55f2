import { Field, FieldMiddleware, ID, Int, ObjectType } from '@nestjs/graphql';
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
import { servedStamp } from '../access/change-stamps';
import { Viewer } from '../access/viewer';
import { Reads } from './record-columns';

/** Serves `version` or `updatedAt` as the viewer's clearance may know them (src/access/change-stamps.ts):
 * editors get the record's own, everyone else the stamp of their clearance. Plain fields, so this
 * runs wherever a record is returned, at any depth. */
const stamped =
  (field: 'version' | 'updatedAt'): FieldMiddleware =>
  ({ source, context }, next) => {
    const viewer = (context as { viewer?: Viewer }).viewer;
    if (!viewer) throw new Error(`${field} served without a viewer`);
    return viewer.mayRead(AccessLevel.CONFIDENTIAL) ? next() : servedStamp(source as object, viewer, field);
  };

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

  @Field(() => GraphQLDateTime, {
    description: 'When the record last changed in a way you may see (a change of a field above your level does not count).',
    middleware: [stamped('updatedAt')],
  })
  @Reads(() => VigilRecord, ['updatedAt', 'publicUpdatedAt', 'restrictedUpdatedAt'])
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @Field(() => Int, {
    description: 'Increases on every change you may see (editors: on every change); writes name the version they are based on.',
    middleware: [stamped('version')],
  })
  @Reads(() => VigilRecord, ['version', 'publicVersion', 'restrictedVersion'])
  @VersionColumn({ default: 1 })
  version!: number;

  /** Soft-delete mark: deleted records are hidden everywhere, except from editors who ask for them. */
  @Field(() => GraphQLDateTime, { nullable: true, description: 'When the record was deleted; only editors who ask (includeDeleted) see deleted records.' })
  @DeleteDateColumn({ type: 'timestamptz', nullable: true })
  deletedAt!: Date | null;

  @Field(() => AccessLevel, { description: 'Who may see this record at all.' })
  @Column({ type: 'enum', enum: AccessLevel, enumName: 'confidentiality', default: AccessLevel.PUBLIC })
  confidentiality!: AccessLevel;

  // Change stamps (src/access/change-stamps.ts): the version and time of the last change a viewer
  // at each clearance below CONFIDENTIAL could see. Set on insert from the record's own (a trigger),
  // then only by EditingService. Served as `version` and `updatedAt`, never under their own names.
  @Column({ type: 'int' })
  publicVersion!: number;

  @Column({ type: 'timestamptz' })
  publicUpdatedAt!: Date;

  @Column({ type: 'int' })
  restrictedVersion!: number;

  @Column({ type: 'timestamptz' })
  restrictedUpdatedAt!: Date;
}
