import { EntityManager } from 'typeorm';
import { EditingService, valuesOf, WriteContext } from '../editing/editing.service';
import { NewCitationInput } from './dto/source.inputs';
import { Citation } from './citation.entity';
import { Source } from './source.entity';

/** What a citation supports: exactly one of them. */
export type CitationSubject = { incidentId: string } | { situationId: string } | { responseId: string };

/** Writes a citation given with the record it supports (`ctx` is inside that record's write), and
 * its new source when it brings one (written inside the citation: EditingService.createNested). */
export function cite(editing: EditingService, manager: EntityManager, input: NewCitationInput, subject: CitationSubject, ctx: WriteContext): Promise<Citation> {
  return editing.createNested(manager, Citation, { ...valuesOf(input, ['sourceId', 'source']), ...subject }, ctx, {
    key: 'sourceId',
    entity: Source,
    id: input.sourceId,
    values: input.source ? valuesOf(input.source) : null,
  });
}
