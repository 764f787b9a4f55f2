import { Module } from '@nestjs/common';
import { IncidentsModule } from '../incidents/incidents.module';
import { ResponsesModule } from '../responses/responses.module';
import { TimelineResolver } from './timeline.resolver';
import { TimelineService } from './timeline.service';

@Module({ imports: [IncidentsModule, ResponsesModule], providers: [TimelineService, TimelineResolver], exports: [TimelineService] })
export class TimelineModule {}
