import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, SelectQueryBuilder } from 'typeorm';
import { onlyVisible, textMatchSql } from '../access/record-visibility';
import { Viewer } from '../access/viewer';
import { PageArgs } from '../common/connection';
import { applyDateRange, applySearch, applyUpdatedSince, DatedOrder, datedOrderKeys } from '../common/filters';
import { paginate } from '../common/keyset';
import { likePattern } from '../common/like';
import { SourceFilter } from './dto/source-filter.input';
import { Source } from './source.entity';

/** Reads sources. Every SQL statement of the module is built here. */
@Injectable()
export class SourcesService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  list(filter: SourceFilter | null | undefined, orderBy: DatedOrder, page: PageArgs, viewer: Viewer) {
    return paginate(this.matching(filter, viewer), 's', datedOrderKeys(orderBy, 's', filter?.search, viewer, 'published'), page);
  }

  /** The visible sources matching `filter`: the one query behind the list and the exports. */
  matching(given: SourceFilter | null | undefined, viewer: Viewer): SelectQueryBuilder<Source> {
    const filter = given ?? {};
    const qb = onlyVisible(this.dataSource.getRepository(Source).createQueryBuilder('s'), 's', viewer, { includeDeleted: filter.includeDeleted });
    if (filter.kinds?.length) qb.andWhere('s.kind IN (:...kinds)', { kinds: filter.kinds });
    if (filter.reliabilities?.length) qb.andWhere('s.reliability IN (:...reliabilities)', { reliabilities: filter.reliabilities });
    // In the trigram index of the viewer's clearance: hidden publishers cost nothing to look for.
    if (filter.publisher) qb.andWhere(textMatchSql('s', 'publisher', 'ILIKE :publisher', viewer), { publisher: likePattern(filter.publisher.trim()) });
    applyDateRange(qb, 's', filter, 'filter', 'published');
    applyUpdatedSince(qb, 's', filter.updatedSince, viewer);
    applySearch(qb, 's', filter.search, viewer);
    return qb;
  }
}
