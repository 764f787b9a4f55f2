import { Global, Module } from '@nestjs/common';
import { EditingResolver } from './editing.resolver';
import { EditingService } from './editing.service';

/** Writes of every record type (history, conflicts, audit), for every module. */
@Global()
@Module({ providers: [EditingService, EditingResolver], exports: [EditingService] })
export class EditingModule {}
