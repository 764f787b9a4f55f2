import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource } from 'typeorm';
import { onlyVisible } from '../access/record-visibility';
import { Viewer } from '../access/viewer';
import { PageArgs } from '../common/connection';
import { paginate } from '../common/keyset';
import { Person } from './person.entity';

/** Reads people. Every SQL statement of the module is built here. No filter or sort touches an
 * identity field: that would let a viewer probe values they may not read. */
@Injectable()
export class PeopleService {
  constructor(@InjectDataSource() private readonly dataSource: DataSource) {}

  list(page: PageArgs, viewer: Viewer) {
    const qb = onlyVisible(this.dataSource.getRepository(Person).createQueryBuilder('p'), 'p', viewer);
    return paginate(qb, 'p', [{ expression: 'p.created_at', direction: 'DESC' }], page);
  }
}
