import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager } from 'typeorm';
import { AccessLevel } from '../access/access-level';
import { AccessRecorder } from '../access/access-recorder';
import { linkedLevelExpressions, linkedLevelsCondition, tableOf } from '../access/record-visibility';
import { Viewer } from '../access/viewer';
import { PageArgs } from '../common/connection';
import { paginate } from '../common/keyset';
import { AuditAction, AuditEvent } from './audit-event.entity';
import { AuditFilter } from './dto/audit-filter.input';

export interface WriteRecord {
  action: Exclude<AuditAction, AuditAction.READ | AuditAction.EXPORT>;
  operation: string;
  subjectType: string;
  subjectId: string;
  /** Changed fields as `Type.field`, with the most sensitive level among them. */
  fields?: string[];
  level?: AccessLevel;
  changes?: Record<string, { before: unknown; after: unknown }> | null;
  reason?: string | null;
}

function actorOf(viewer: Viewer): string {
  return viewer.label ?? (viewer.accountId ? `account ${viewer.accountId}` : 'anonymous');
}

/** The append-only audit log: the one place that writes and reads it. */
@Injectable()
export class AuditService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  /** Records a write, inside the writer's transaction (`manager`), so the write and its audit entry
   * land together or not at all. */
  async recordWrite(manager: EntityManager, viewer: Viewer, write: WriteRecord, requestId: string | null = null): Promise<void> {
    await manager.save(manager.create(AuditEvent, {
      accountId: viewer.accountId,
      actor: actorOf(viewer),
      role: viewer.role,
      action: write.action,
      operation: write.operation,
      subjectType: write.subjectType,
      subjectId: write.subjectId,
      fields: write.fields ?? Object.keys(write.changes ?? {}).map((f) => `${write.subjectType}.${f}`),
      level: write.level ?? AccessLevel.PUBLIC,
      changes: write.changes ?? null,
      reason: write.reason ?? null,
      requestId,
    }));
  }

  /** Records that a read or an export returned protected values; nothing when it returned none. */
  async recordAccess(
    viewer: Viewer,
    action: AuditAction.READ | AuditAction.EXPORT,
    recorder: AccessRecorder,
    context: { operation?: string; requestId?: string | null } = {},
  ): Promise<void> {
    await this.checkLinks(recorder);
    if (recorder.isEmpty) return;
    const s = recorder.summary();
    await this.dataSource.getRepository(AuditEvent).insert({
      accountId: viewer.accountId,
      actor: actorOf(viewer),
      role: viewer.role,
      action,
      operation: context.operation ?? s.operation ?? 'unknown',
      fields: s.fields,
      kinds: s.kinds,
      probes: s.probes as never, // jsonb: TypeORM's deep-partial type does not fit free-form JSON
      level: s.level,
      subjects: s.subjects,
      subjectCount: s.subjectCount,
      requestId: context.requestId ?? null,
    });
  }

  /** Of the PUBLIC link records a response carried (citations, involvements), those that link a
   * record above PUBLIC are content the public cannot see: one statement per type, at the level of
   * the most sensitive record linked. Only ever asked for viewers above PUBLIC. */
  private async checkLinks(recorder: AccessRecorder): Promise<void> {
    const byType = new Map<string, string[]>();
    for (const { type, id } of recorder.pendingLinks) byType.set(type, [...(byType.get(type) ?? []), id]);
    for (const [type, ids] of byType) {
      const levels = linkedLevelExpressions(type, 'l');
      if (!levels.length) continue;
      const rows: { id: string; level: AccessLevel }[] = await this.dataSource.query(
        `SELECT l.id::text AS id, GREATEST(${levels.join(', ')})::text AS level FROM ${tableOf(type)} l ` +
          `WHERE l.id = ANY($1::uuid[]) AND NOT (${linkedLevelsCondition(type, 'l', (level) => `${level} = 'PUBLIC'`)})`,
        [ids],
      );
      for (const row of rows) recorder.noteRecord(type, row.level, row.id);
    }
  }

  list(filter: AuditFilter | undefined, page: PageArgs) {
    const qb = this.dataSource.getRepository(AuditEvent).createQueryBuilder('a');
    if (filter?.accountId) qb.andWhere('a.account_id = :accountId', { accountId: filter.accountId });
    if (filter?.actions?.length) qb.andWhere('a.action IN (:...actions)', { actions: filter.actions });
    // A subject is the record written, or one of the records whose protected values were read.
    if (filter?.subjectType) {
      qb.andWhere(
        "(a.subject_type = :subjectType OR EXISTS (SELECT 1 FROM unnest(a.subjects) s WHERE split_part(s, ':', 1) = :subjectType))",
        { subjectType: filter.subjectType },
      );
    }
    if (filter?.subjectId) {
      qb.andWhere(
        "(a.subject_id = :subjectId OR EXISTS (SELECT 1 FROM unnest(a.subjects) s WHERE split_part(s, ':', 2) = :subjectId))",
        { subjectId: filter.subjectId },
      );
    }
    if (filter?.field) qb.andWhere(':field = ANY(a.fields)', { field: filter.field });
    if (filter?.kinds?.length) qb.andWhere('a.kinds && :kinds::text[]', { kinds: filter.kinds });
    if (filter?.since) qb.andWhere('a.occurred_at >= :since', { since: filter.since });
    if (filter?.until) qb.andWhere('a.occurred_at < :until', { until: filter.until });
    return paginate(qb, 'a', [{ expression: 'a.occurred_at', direction: 'DESC' }], page);
  }
}
