import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { onlyVisible } from '../access/record-visibility';
import { Viewer } from '../access/viewer';
import { PageArgs } from '../common/connection';
import { applyBoundingBox } from '../common/bounding-box';
import { applyDateRange } from '../common/filters';
import { paginate } from '../common/keyset';
import { RegionsService } from '../regions/regions.service';
import { IncidentFilter } from './dto/incident-filter.input';
import { Incident } from './incident.entity';

/** Reads incidents. Every SQL statement of the module is built here. */
@Injectable()
export class IncidentsService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
  ) {}

  async list(given: IncidentFilter | null | undefined, page: PageArgs, viewer: Viewer) {
    const filter = given ?? {};
    const qb = onlyVisible(this.dataSource.getRepository(Incident).createQueryBuilder('i'), 'i', viewer);
    if (filter.regions?.length) {
      qb.andWhere('i.region_code IN (:...regionCodes)', { regionCodes: await this.regions.expand(filter.regions, 'filter.regions') });
    }
    applyDateRange(qb, 'i', filter);
    if (filter.kinds?.length) qb.andWhere('i.kind IN (:...kinds)', { kinds: filter.kinds });
    if (filter.verificationStatuses?.length) {
      qb.andWhere('i.verification_status IN (:...statuses)', { statuses: filter.verificationStatuses });
    }
    if (filter.situationId) qb.andWhere('i.situation_id = :situationId', { situationId: filter.situationId });
    if (filter.within) applyBoundingBox(qb, 'i', filter.within, 'filter.within');
    return paginate(qb, 'i', [{ expression: 'i.date_start', direction: 'DESC' }], page);
  }
}
