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
