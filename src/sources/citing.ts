import { EntityManager } from 'typeorm';
import { EditingService, valuesOf, WriteContext } from '../editing/editing.service';
import { NewCitationInput } from './dto/source.inputs';
import { Citation } from './citation.entity';
import { Source } from './source.entity';

/** What a citation supports: exactly one of them. */
export type CitationSubject = { incidentId: string } | { situationId: string } | { responseId: string };

/** Writes a citation given with the record it supports, and its new source when it brings one. */
export async function cite(editing: EditingService, manager: EntityManager, input: NewCitationInput, subject: CitationSubject, ctx: WriteContext): Promise<Citation> {
  const sourceId = input.sourceId ?? (await editing.create(manager, Source, valuesOf(input.source!), ctx)).id;
  return editing.create(manager, Citation, { ...valuesOf(input, ['sourceId', 'source']), ...subject, sourceId }, ctx);
}
