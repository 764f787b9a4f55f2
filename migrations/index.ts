// Every migration, in order. `npm run migration:generate -- <Name>` adds to this list.
// A migration that has landed on main is never edited: write a new one.
import { Initial1795431724253 } from './1795431724253-Initial';
export const MIGRATIONS: Function[] = [Initial1795431724253];
