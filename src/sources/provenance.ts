import { Loaders } from '../common/loaders';
import { Citation } from './citation.entity';
import { Source } from './source.entity';

/** Independent sources: distinct publishers among the visible sources cited (two articles from one
 * outlet are one source). */
export async function independentSourceCount(citations: Citation[], loaders: Loaders): Promise<number> {
  const sources = await Promise.all(citations.map((c) => loaders.one(Source, c.sourceId)));
  return new Set(sources.filter((s): s is Source => s !== null).map((s) => s.publisher.trim().toLowerCase())).size;
}
