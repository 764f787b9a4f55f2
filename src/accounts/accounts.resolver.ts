import { Args, Context, ID, Mutation, Query, ResolveField, Resolver } from '@nestjs/graphql';
import { Role } from '../access/role';
import { RequiresRole } from '../access/sensitive.decorator';
import { Connection, PageArgs } from '../common/connection';
import { ForbiddenError } from '../common/errors';
import { UuidPipe } from '../common/validation.pipe';
import { NoArgs, VigilContext } from '../common/vigil-context';
import { Account } from './account.entity';
import { AccountsService } from './accounts.service';
import { ApiToken } from './api-token.entity';
import { CreateAccountInput, CreateApiTokenInput, CreatedApiToken, UpdateAccountInput } from './dto/account.inputs';

const AccountConnection = Connection(Account, 'Account');

@Resolver(() => Account)
export class AccountsResolver {
  constructor(private readonly service: AccountsService) {}

  @Query(() => Account, { nullable: true, description: 'Your own account; null without a token.' })
  @RequiresRole(Role.PUBLIC)
  me(@Context() ctx: VigilContext) {
    return ctx.viewer.accountId ? this.service.findById(ctx.viewer.accountId) : null;
  }

  @Query(() => AccountConnection, { description: 'Every account, by email. Admins only.' })
  @RequiresRole(Role.ADMIN)
  accounts(@Args() page: PageArgs) {
    return this.service.list(page);
  }

  @Mutation(() => Account, { description: 'Creates an account (it has no token until one is created). Admins only.' })
  @RequiresRole(Role.ADMIN)
  createAccount(@Args('input') input: CreateAccountInput, @Context() ctx: VigilContext) {
    return this.service.createAccount(ctx.viewer, input, 'Mutation.createAccount');
  }

  @Mutation(() => Account, { description: 'Changes an account\'s role or name, or disables it. Admins only.' })
  @RequiresRole(Role.ADMIN)
  updateAccount(@Args('id', { type: () => ID }, UuidPipe) id: string, @Args('input') input: UpdateAccountInput, @Context() ctx: VigilContext) {
    return this.service.updateAccount(ctx.viewer, id, input, 'Mutation.updateAccount');
  }

  @Mutation(() => CreatedApiToken, { description: 'Creates an API token for yourself (admins: for anyone). The token is shown once.' })
  @RequiresRole(Role.RESEARCHER)
  createApiToken(@Args('input') input: CreateApiTokenInput, @Context() ctx: VigilContext) {
    return this.service.createToken(ctx.viewer, input, 'Mutation.createApiToken');
  }

  @Mutation(() => ApiToken, { description: 'Revokes one of your tokens (admins: anyone\'s). It stops working at once.' })
  @RequiresRole(Role.RESEARCHER)
  revokeApiToken(@Args('id', { type: () => ID }, UuidPipe) id: string, @Context() ctx: VigilContext) {
    return this.service.revokeToken(ctx.viewer, id, 'Mutation.revokeApiToken');
  }

  @ResolveField(() => [ApiToken], { description: 'The account\'s tokens, newest first: yours, or anyone\'s for an admin.' })
  tokens(account: Account, _args: NoArgs, ctx: VigilContext) {
    if (account.id !== ctx.viewer.accountId && !ctx.viewer.hasRole(Role.ADMIN)) throw new ForbiddenError('Only admins may list another account\'s tokens');
    return this.service.tokensOf(account.id);
  }
}
