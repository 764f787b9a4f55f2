import { Injectable } from '@nestjs/common';
import { InjectDataSource } from '@nestjs/typeorm';
import { DataSource, EntityManager, SelectQueryBuilder } from 'typeorm';
import { onlyVisible, visibleCondition } from '../access/record-visibility';
import { Viewer } from '../access/viewer';
import { PageArgs } from '../common/connection';
import { applyDateRange, applySearch, applyUpdatedSince, DatedOrder, datedOrderKeys } from '../common/filters';
import { paginate } from '../common/keyset';
import { UserInputError } from '../common/errors';
import { EditingService, inside, valuesOf, WriteContext } from '../editing/editing.service';
import { RegionsService } from '../regions/regions.service';
import { cite } from '../sources/citing';
import { CreateAdvocacyResponseInput, ResponseLinks, ResponseLinksInput } from './dto/response.inputs';
import { OrganizerRole, ResponseIncident, ResponseOrganizer, ResponseSituation } from './response-links.entity';
import { AdvocacyResponse } from './advocacy-response.entity';
import { ResponseFilter } from './dto/response-filter.input';

/** Reads advocacy responses. Every SQL statement of the module is built here. */
@Injectable()
export class ResponsesService {
  constructor(
    @InjectDataSource() private readonly dataSource: DataSource,
    private readonly regions: RegionsService,
    private readonly editing: EditingService,
  ) {}

  /** A response with what it answers, its organizers and its citations: all or nothing. */
  create(input: CreateAdvocacyResponseInput, ctx: WriteContext): Promise<AdvocacyResponse> {
    return this.editing.transaction(async (m) => {
      const response = await this.editing.create(
        m,
        AdvocacyResponse,
        valuesOf(input, ['incidentIds', 'situationIds', 'organizers', 'citations']),
        ctx,
      );
      // What is written with the response is written inside it: at least its level (docs/access.md).
      const within = inside(ctx, response.confidentiality);
      await this.addLinks(m, response.id, input, within);
      for (const citation of input.citations ?? []) await cite(this.editing, m, citation, { responseId: response.id }, within);
      return response;
    });
  }

  /** Adds the links that do not exist yet; existing ones are left as they are. */
  link(input: ResponseLinksInput, ctx: WriteContext): Promise<AdvocacyResponse> {
    return this.editing.transaction(async (m) => {
      await this.addLinks(m, input.responseId, input, ctx);
      return m.findOneByOrFail(AdvocacyResponse, { id: input.responseId });
    });
  }

  /** Soft-deletes the named links, each with its own revision; naming a link that does not exist
   * is an error (nothing is written). */
  unlink(input: ResponseLinksInput, ctx: WriteContext): Promise<AdvocacyResponse> {
    return this.editing.transaction(async (m) => {
      const missing: { path: string; message: string }[] = [];
      const remove = async <T extends ResponseIncident | ResponseSituation | ResponseOrganizer>(
        entity: new () => T,
        where: Record<string, string>,
        path: string,
      ) => {
        const link = await m.findOneBy(entity, { responseId: input.responseId, ...where } as never);
        if (!link) missing.push({ path, message: 'is not linked to this response' });
        else await this.editing.softDelete(m, entity, link.id, link.version, ctx);
      };
      for (const [i, incidentId] of (input.incidentIds ?? []).entries()) await remove(ResponseIncident, { incidentId }, `input.incidentIds[${i}]`);
      for (const [i, situationId] of (input.situationIds ?? []).entries()) await remove(ResponseSituation, { situationId }, `input.situationIds[${i}]`);
      for (const [i, o] of (input.organizers ?? []).entries()) {
        await remove(ResponseOrganizer, { organizationId: o.organizationId, role: o.role ?? OrganizerRole.ORGANIZER }, `input.organizers[${i}]`);
      }
      if (missing.length) throw new UserInputError(missing);
      return m.findOneByOrFail(AdvocacyResponse, { id: input.responseId });
    });
  }

  private async addLinks(m: EntityManager, responseId: string, links: ResponseLinks, ctx: WriteContext): Promise<void> {
    const add = async <T extends ResponseIncident | ResponseSituation | ResponseOrganizer>(entity: new () => T, values: Record<string, string>) => {
      if (!(await m.existsBy(entity, { responseId, ...values } as never))) await this.editing.create(m, entity, { responseId, ...values }, ctx);
    };
    for (const incidentId of new Set(links.incidentIds ?? [])) await add(ResponseIncident, { incidentId });
    for (const situationId of new Set(links.situationIds ?? [])) await add(ResponseSituation, { situationId });
    for (const o of links.organizers ?? []) await add(ResponseOrganizer, { organizationId: o.organizationId, role: o.role ?? OrganizerRole.ORGANIZER });
  }

  async list(filter: ResponseFilter | null | undefined, orderBy: DatedOrder, page: PageArgs, viewer: Viewer) {
    return paginate(await this.matching(filter, viewer), 'r', datedOrderKeys(orderBy, 'r', filter?.search, viewer), page);
  }

  /** The visible responses matching `filter`: the one query behind the list, the exports and the
   * timeline. */
  async matching(given: ResponseFilter | null | undefined, viewer: Viewer): Promise<SelectQueryBuilder<AdvocacyResponse>> {
    const filter = given ?? {};
    const qb = onlyVisible(this.dataSource.getRepository(AdvocacyResponse).createQueryBuilder('r'), 'r', viewer, { includeDeleted: filter.includeDeleted });
    if (filter.regions?.length) {
      qb.andWhere('r.region_code IN (:...regionCodes)', { regionCodes: await this.regions.expand(filter.regions, 'filter.regions') });
    }
    applyDateRange(qb, 'r', filter);
    applyUpdatedSince(qb, 'r', filter.updatedSince, viewer);
    applySearch(qb, 'r', filter.search, viewer);
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
    return qb;
  }
}
