import { Viewer } from '../access/viewer';
import { Loaders } from './loaders';

/** What every GraphQL resolver receives as context. */
export interface VigilContext {
  viewer: Viewer;
  loaders: Loaders;
}
