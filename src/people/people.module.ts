import { Module } from '@nestjs/common';
import { InvolvementsResolver, PeopleResolver } from './people.resolver';
import { PeopleService } from './people.service';

@Module({ providers: [PeopleService, PeopleResolver, InvolvementsResolver] })
export class PeopleModule {}
