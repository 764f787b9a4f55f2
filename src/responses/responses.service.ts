import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { onlyVisible } from '../access/record-visibility';
import { Viewer } from '../access/viewer';
import { PageArgs } from '../common/connection';
import { applyDateRange } from '../common/filters';
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

  async list(given: ResponseFilter | null | undefined, page: PageArgs, viewer: Viewer) {
    const filter = given ?? {};
    const qb = onlyVisible(this.dataSource.getRepository(AdvocacyResponse).createQueryBuilder('r'), 'r', viewer);
    if (filter.regions?.length) {
      qb.andWhere('r.region_code IN (:...regionCodes)', { regionCodes: await this.regions.expand(filter.regions, 'filter.regions') });
    }
    applyDateRange(qb, 'r', filter);
    if (filter.kinds?.length) qb.andWhere('r.kind IN (:...kinds)', { kinds: filter.kinds });
    if (filter.organizationId) {
      qb.andWhere(
        `EXISTS (SELECT 1 FROM response_organizer o WHERE o.response_id = r.id AND o.deleted_at IS NULL
           AND o.organization_id = :organizationId AND o.confidentiality IN (:...organizerLevels))`,
        { organizationId: filter.organizationId, organizerLevels: viewer.readableLevels },
      );
    }
    return paginate(qb, 'r', [{ expression: 'r.date_start', direction: 'DESC' }], page);
  }
}
