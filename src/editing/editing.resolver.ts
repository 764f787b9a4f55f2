import { Args, Context, ID, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { GraphQLDateTime } from '../common/date-time';
import { Role } from '../access/role';
import { RequiresRole } from '../access/sensitive.decorator';
import { LimitPipe, UuidPipe } from '../common/validation.pipe';
import { VigilContext } from '../common/vigil-context';
import { PurgeRecordInput, PurgeResult, RecordChange, RecordVersionInput, Removal, RevertRecordInput } from './dto/write.inputs';
import { EditingService, writeContext } from './editing.service';
import { RECORD_CLASSES, RecordType } from './record-type';
import { Revision } from './revision.entity';

function changeOf(type: RecordType, record: { id: string; version: number; deletedAt: Date | null }): RecordChange {
  return { type, id: record.id, version: record.version, deletedAt: record.deletedAt };
}

/** Operations every record type shares: history, delete, restore, revert and purge. */
@Resolver()
export class EditingResolver {
  constructor(private readonly editing: EditingService) {}

  @Query(() => [Revision], { description: 'A record\'s history, oldest first: who changed it, when, why and what changed.' })
  @RequiresRole(Role.EDITOR)
  revisions(
    @Args('type', { type: () => RecordType }) type: RecordType,
    @Args('id', { type: () => ID }, UuidPipe) id: string,
  ) {
    return this.editing.revisions(type, id);
  }

  @Query(() => [Removal], {
    description:
      'Records you could see that were deleted, purged or hidden from you at or after `since`, oldest first: what a local copy ' +
      'must drop (lists\' updatedSince brings what changed). For more than `first`, ask again from the last `at`.',
  })
  @RequiresRole(Role.PUBLIC)
  removedSince(
    @Args('since', { type: () => GraphQLDateTime }) since: Date,
    @Args('first', { type: () => Int, defaultValue: 1000 }, new LimitPipe(10_000)) first: number,
    @Context() ctx: VigilContext,
  ) {
    return this.editing.removedSince(since, first, ctx.viewer);
  }

  @Mutation(() => RecordChange, { description: 'Soft-deletes a record: hidden everywhere, restorable, visible to editors with includeDeleted.' })
  @RequiresRole(Role.EDITOR)
  async deleteRecord(@Args('input') input: RecordVersionInput, @Context() ctx: VigilContext) {
    const entity = RECORD_CLASSES[input.type];
    const record = await this.editing.transaction((m) => this.editing.softDelete(m, entity, input.id, input.version, writeContext(ctx, 'deleteRecord', input.reason)));
    return changeOf(input.type, record);
  }

  @Mutation(() => RecordChange, { description: 'Brings a soft-deleted record back.' })
  @RequiresRole(Role.EDITOR)
  async restoreRecord(@Args('input') input: RecordVersionInput, @Context() ctx: VigilContext) {
    const entity = RECORD_CLASSES[input.type];
    const record = await this.editing.transaction((m) => this.editing.restore(m, entity, input.id, input.version, writeContext(ctx, 'restoreRecord', input.reason)));
    return changeOf(input.type, record);
  }

  @Mutation(() => RecordChange, { description: 'Gives a record the content of an earlier revision, as a new revision.' })
  @RequiresRole(Role.EDITOR)
  async revertRecord(@Args('input') input: RevertRecordInput, @Context() ctx: VigilContext) {
    const entity = RECORD_CLASSES[input.type];
    const record = await this.editing.transaction((m) =>
      this.editing.revert(m, entity, input.id, input.version, input.toVersion, writeContext(ctx, 'revertRecord', input.reason)),
    );
    return changeOf(input.type, record);
  }

  @Mutation(() => PurgeResult, { description: 'Removes a deleted record for good, with its history and dependent links and citations. Audited.' })
  @RequiresRole(Role.ADMIN)
  async purgeRecord(@Args('input') input: PurgeRecordInput, @Context() ctx: VigilContext): Promise<PurgeResult> {
    const removed = await this.editing.transaction((m) => this.editing.purge(m, RECORD_CLASSES[input.type], input.id, writeContext(ctx, 'purgeRecord', input.reason)));
    return { type: input.type, id: input.id, removed };
  }
}
