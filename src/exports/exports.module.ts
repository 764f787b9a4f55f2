import { Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { OrganizationsModule } from '../organizations/organizations.module';
import { ResponsesModule } from '../responses/responses.module';
import { SituationsModule } from '../situations/situations.module';
import { SourcesModule } from '../sources/sources.module';
import { TimelineModule } from '../timeline/timeline.module';
import { ExportsController } from './exports.controller';
import { ExportsService } from './exports.service';

/** CSV, GeoJSON and TimelineJS exports over HTTP (docs/exports.md). */
@Module({ imports: [IncidentsModule, ResponsesModule, SourcesModule, SituationsModule, OrganizationsModule, TimelineModule], controllers: [ExportsController], providers: [ExportsService] })
export class ExportsModule {}
