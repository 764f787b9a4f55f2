import { Module } from '@nestjs/common';
import { RegionsModule } from '../regions/regions.module';
import { IncidentBucketResolver, IncidentsResolver } from './incidents.resolver';
import { IncidentsService } from './incidents.service';

@Module({ imports: [RegionsModule], providers: [IncidentsService, IncidentsResolver, IncidentBucketResolver], exports: [IncidentsService] })
export class IncidentsModule {}
