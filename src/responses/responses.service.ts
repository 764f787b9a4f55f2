import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { onlyVisible, visibleCondition } from '../access/record-visibility';
import { Viewer } from '../access/viewer';
import { PageArgs } from '../common/connection';
import { applyDateRange, applySearch, applyUpdatedSince, DatedOrder, datedOrderKeys } from '../common/filters';
import { paginate } from '../common/keyset';
import { RegionsService } from '../regions/regions.service';
import { AdvocacyResponse } from './advocacy-response.entity';
import { ResponseFilter } from './dto/response-filter.input';

/** Reads advocacy responses. Every SQL statement of the module is built here. */
@Injectable()
export class ResponsesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
  ) {}

  async list(given: ResponseFilter | null | undefined, orderBy: DatedOrder, page: PageArgs, viewer: Viewer) {
    const filter = given ?? {};
    const qb = onlyVisible(this.dataSource.getRepository(AdvocacyResponse).createQueryBuilder('r'), 'r', viewer);
    if (filter.regions?.length) {
      qb.andWhere('r.region_code IN (:...regionCodes)', { regionCodes: await this.regions.expand(filter.regions, 'filter.regions') });
    }
    applyDateRange(qb, 'r', filter);
    applyUpdatedSince(qb, 'r', filter.updatedSince);
    applySearch(qb, 'r', filter.search);
    if (filter.kinds?.length) qb.andWhere('r.kind IN (:...kinds)', { kinds: filter.kinds });
    if (filter.organizationId) {
      qb.andWhere(
        `EXISTS (SELECT 1 FROM response_organizer o WHERE o.response_id = r.id
           AND o.organization_id = :organizationId AND ${visibleCondition('ResponseOrganizer', 'o', 'organizer_levels')})`,
        { organizationId: filter.organizationId, organizer_levels: viewer.readableLevels },
      );
    }
    if (filter.incidentId) {
      qb.andWhere(
        `EXISTS (SELECT 1 FROM response_incident ri WHERE ri.response_id = r.id
           AND ri.incident_id = :incidentId AND ${visibleCondition('ResponseIncident', 'ri', 'link_levels')})`,
        { incidentId: filter.incidentId, link_levels: viewer.readableLevels },
      );
    }
    return paginate(qb, 'r', datedOrderKeys(orderBy, 'r', filter.search), page);
  }
}
