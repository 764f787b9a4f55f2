import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { onlyVisible } from '../access/record-visibility';
import { Viewer } from '../access/viewer';
import { PageArgs } from '../common/connection';
import { paginate, SortKey } from '../common/keyset';
import { likePattern } from '../common/like';
import { PersonFilter, PersonOrder } from './dto/person-filter.input';
import { Person } from './person.entity';

const ORDERS: Record<PersonOrder, SortKey[]> = {
  [PersonOrder.RECENT]: [{ expression: 'p.created_at', direction: 'DESC' }],
  [PersonOrder.PSEUDONYM]: [{ expression: 'lower(p.pseudonym)', direction: 'ASC' }],
  // Keyset keys must not be null: people without a full name sort after everyone else.
  [PersonOrder.FULL_NAME]: [
    { expression: '(p.full_name IS NULL)', direction: 'ASC' },
    { expression: "lower(coalesce(p.full_name, ''))", direction: 'ASC' },
  ],
};

/** Reads people. Every SQL statement of the module is built here. The filter and sort on identity
 * fields carry those fields' sensitivity (PersonFilter, PersonOrder), so the access enforcement
 * refuses them to viewers who may not read the fields before this code runs. */
@Injectable()
export class PeopleService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  list(filter: PersonFilter | undefined, order: PersonOrder, page: PageArgs, viewer: Viewer) {
    const qb = onlyVisible(this.dataSource.getRepository(Person).createQueryBuilder('p'), 'p', viewer, { includeDeleted: filter?.includeDeleted });
    if (filter?.pseudonym) qb.andWhere(`p.pseudonym ILIKE :pseudonym`, { pseudonym: likePattern(filter.pseudonym) });
    if (filter?.name) {
      qb.andWhere(`(p.full_name ILIKE :name OR p.other_names ILIKE :name)`, { name: likePattern(filter.name) });
    }
    return paginate(qb, 'p', ORDERS[order], page);
  }
}
