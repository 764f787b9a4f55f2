import { Module } from '@nestjs/common';
import { CitationsResolver, SourcesResolver } from './sources.resolver';
import { SourcesService } from './sources.service';

@Module({ providers: [SourcesService, SourcesResolver, CitationsResolver], exports: [SourcesService] })
export class SourcesModule {}
