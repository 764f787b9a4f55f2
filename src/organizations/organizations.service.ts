import { likePattern } from '../common/like';
import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { onlyVisible } from '../access/record-visibility';
import { Viewer } from '../access/viewer';
import { PageArgs } from '../common/connection';
import { paginate } from '../common/keyset';
import { OrganizationFilter } from './dto/organization-filter.input';
import { Organization } from './organization.entity';

/** Reads organizations. Every SQL statement of the module is built here. */
@Injectable()
export class OrganizationsService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  list(given: OrganizationFilter | null | undefined, page: PageArgs, viewer: Viewer) {
    return paginate(this.matching(given, viewer), 'o', [{ expression: 'o.name', direction: 'ASC' }], page);
  }

  /** The visible organizations matching `filter`: the one query behind the list and organizations.csv. */
  matching(given: OrganizationFilter | null | undefined, viewer: Viewer) {
    const filter = given ?? {};
    const qb = onlyVisible(this.dataSource.getRepository(Organization).createQueryBuilder('o'), 'o', viewer, { includeDeleted: filter.includeDeleted });
    if (filter.kinds?.length) qb.andWhere('o.kind IN (:...kinds)', { kinds: filter.kinds });
    if (filter.search) qb.andWhere('o.name ILIKE :search', { search: likePattern(filter.search) });
    return qb;
  }
}
