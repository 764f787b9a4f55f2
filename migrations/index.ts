// Every migration, in order. `npm run migration:generate -- <Name>` adds to this list.
// A migration that has landed on main is never edited: write a new one.
import { LevelChangesAfterTheLock1796340000000 } from './1796340000000-LevelChangesAfterTheLock';
import { DeferredSearchDocuments1796330000000 } from './1796330000000-DeferredSearchDocuments';
import { CitationsByIncident1796326700000 } from './1796326700000-CitationsByIncident';
import { SearchOwnTextIndex1796324668979 } from './1796324668979-SearchOwnTextIndex';
import { ExportInLanguage1796314758261 } from './1796314758261-ExportInLanguage';
import { IncidentSearchDocument1796309000000 } from './1796309000000-IncidentSearchDocument';
import { IncidentStatsRollup1796308600000 } from './1796308600000-IncidentStatsRollup';
import { RegionSearch1796308510285 } from './1796308510285-RegionSearch';
import { SearchAtScale1796304580595 } from './1796304580595-SearchAtScale';
import { Translations1796304410705 } from './1796304410705-Translations';
import { MultilingualSearch1796295709089 } from './1796295709089-MultilingualSearch';
import { RegionNamesAndPoints1796293851521 } from './1796293851521-RegionNamesAndPoints';
import { AuditDisclosures1796293585049 } from './1796293585049-AuditDisclosures';
import { ChangeStamps1796293417225 } from './1796293417225-ChangeStamps';
import { RevokeTokensOfDisabledAccounts1796293401745 } from './1796293401745-RevokeTokensOfDisabledAccounts';
import { SharedLimits1796293401744 } from './1796293401744-SharedLimits';
import { ClearanceIndexes1796293369609 } from './1796293369609-ClearanceIndexes';
import { StatsCoveringIndex1796165938993 } from './1796165938993-StatsCoveringIndex';
import { Editing1795444657003 } from './1795444657003-Editing';
import { ResearchApi1795434966739 } from './1795434966739-ResearchApi';
import { AccessControl1795433362726 } from './1795433362726-AccessControl';
import { DateAndCountRules1795432436305 } from './1795432436305-DateAndCountRules';
import { Initial1795432143219 } from './1795432143219-Initial';
export const MIGRATIONS: Function[] = [Initial1795432143219, DateAndCountRules1795432436305, AccessControl1795433362726, ResearchApi1795434966739, Editing1795444657003, StatsCoveringIndex1796165938993, ClearanceIndexes1796293369609, SharedLimits1796293401744, RevokeTokensOfDisabledAccounts1796293401745, ChangeStamps1796293417225, AuditDisclosures1796293585049, RegionNamesAndPoints1796293851521, MultilingualSearch1796295709089, Translations1796304410705, SearchAtScale1796304580595, RegionSearch1796308510285, IncidentStatsRollup1796308600000, IncidentSearchDocument1796309000000, ExportInLanguage1796314758261, SearchOwnTextIndex1796324668979, CitationsByIncident1796326700000, DeferredSearchDocuments1796330000000, LevelChangesAfterTheLock1796340000000];
