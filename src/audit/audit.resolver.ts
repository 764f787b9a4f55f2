import { Args, Query, Resolver } from '@nestjs/graphql';
import { Role } from '../access/role';
import { RequiresRole } from '../access/sensitive.decorator';
import { Connection, PageArgs } from '../common/connection';
import { AuditEvent } from './audit-event.entity';
import { AuditService } from './audit.service';
import { AuditFilter } from './dto/audit-filter.input';

const AuditEventConnection = Connection(AuditEvent, 'AuditEvent');

@Resolver(() => AuditEvent)
export class AuditResolver {
  constructor(private readonly service: AuditService) {}

  @Query(() => AuditEventConnection, { description: 'The audit log, newest first. Admins only.' })
  @RequiresRole(Role.ADMIN)
  // `filter: AuditFilter`, not `AuditFilter | undefined`: a union's design type is Object, and the
  // validation pipe would not know the class to validate the filter with.
  auditEvents(@Args('filter', { type: () => AuditFilter, nullable: true }) filter: AuditFilter, @Args() page: PageArgs) {
    return this.service.list(filter, page);
  }
}
