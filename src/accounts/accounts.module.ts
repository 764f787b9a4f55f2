import { Global, Module } from '@nestjs/common';
import { AccountsResolver } from './accounts.resolver';
import { AccountsService } from './accounts.service';
import { AuthenticationHook } from './authentication.hook';

@Global()
@Module({ providers: [AccountsService, AccountsResolver, AuthenticationHook], exports: [AccountsService] })
export class AccountsModule {}
