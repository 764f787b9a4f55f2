// Every migration, in order. `npm run migration:generate -- <Name>` adds to this list.
// A migration that has landed on main is never edited: write a new one.
import { RegionNamesAndPoints1796293851521 } from './1796293851521-RegionNamesAndPoints';
import { StatsCoveringIndex1796165938993 } from './1796165938993-StatsCoveringIndex';
import { Editing1795444657003 } from './1795444657003-Editing';
import { ResearchApi1795434966739 } from './1795434966739-ResearchApi';
import { AccessControl1795433362726 } from './1795433362726-AccessControl';
import { DateAndCountRules1795432436305 } from './1795432436305-DateAndCountRules';
import { Initial1795432143219 } from './1795432143219-Initial';
export const MIGRATIONS: Function[] = [Initial1795432143219, DateAndCountRules1795432436305, AccessControl1795433362726, ResearchApi1795434966739, Editing1795444657003, StatsCoveringIndex1796165938993, RegionNamesAndPoints1796293851521];
