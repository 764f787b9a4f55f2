import { Module } from '@nestjs/common';
import { RegionsModule } from '../regions/regions.module';
import { SituationsResolver } from './situations.resolver';
import { SituationsService } from './situations.service';

@Module({ imports: [RegionsModule], providers: [SituationsService, SituationsResolver], exports: [SituationsService] })
export class SituationsModule {}
