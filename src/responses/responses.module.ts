import { Module } from '@nestjs/common';
import { RegionsModule } from '../regions/regions.module';
import { ResponseOrganizersResolver, ResponsesResolver } from './responses.resolver';
import { ResponsesService } from './responses.service';

@Module({ imports: [RegionsModule], providers: [ResponsesService, ResponsesResolver, ResponseOrganizersResolver], exports: [ResponsesService] })
export class ResponsesModule {}
