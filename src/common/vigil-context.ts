import { AccessRecorder } from '../access/access-recorder';
import { Viewer } from '../access/viewer';
import { Loaders } from './loaders';

/** What every GraphQL resolver receives as context. */
export interface VigilContext {
  viewer: Viewer;
  loaders: Loaders;
  /** Protected values this request returned, for the audit log. */
  access: AccessRecorder;
  requestId: string | null;
}

/** The arguments of a field resolver that takes none.
 *
 * Field resolvers take GraphQL's own (parent, args, context), with no @Parent() or @Context():
 * @nestjs/graphql then calls such a method directly. With parameter decorators every call went
 * through Nest's context creator and pipes (half a dozen promises per call, some 180 calls on a page
 * of 50 incidents); see bench/README.md. test/statement-count.e2e-spec.ts keeps them on that path. */
export type NoArgs = Record<string, never>;
