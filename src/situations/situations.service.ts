import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { onlyVisible } from '../access/record-visibility';
import { Viewer } from '../access/viewer';
import { PageArgs } from '../common/connection';
import { applyDateRange, applySearch, applyUpdatedSince, DatedOrder, datedOrderKeys, PlaceAndTimeFilter } from '../common/filters';
import { paginate } from '../common/keyset';
import { RegionsService } from '../regions/regions.service';
import { Situation } from './situation.entity';

/** Reads situations. Every SQL statement of the module is built here. */
@Injectable()
export class SituationsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
  ) {}

  async list(given: PlaceAndTimeFilter | null | undefined, orderBy: DatedOrder, page: PageArgs, viewer: Viewer) {
    return paginate(await this.matching(given, viewer), 's', datedOrderKeys(orderBy, 's', given?.search, viewer), page);
  }

  /** The visible situations matching `filter`: the one query behind the list and situations.csv. */
  async matching(given: PlaceAndTimeFilter | null | undefined, viewer: Viewer) {
    const filter = given ?? {};
    const qb = onlyVisible(this.dataSource.getRepository(Situation).createQueryBuilder('s'), 's', viewer, { includeDeleted: filter.includeDeleted });
    if (filter.regions?.length) {
      qb.andWhere('s.region_code IN (:...regionCodes)', { regionCodes: await this.regions.expand(filter.regions, 'filter.regions') });
    }
    applyDateRange(qb, 's', filter);
    applyUpdatedSince(qb, 's', filter.updatedSince, viewer);
    applySearch(qb, 's', filter.search, viewer);
    return qb;
  }
}
