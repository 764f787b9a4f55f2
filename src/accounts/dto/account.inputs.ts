import { Field, ID, InputType, Int, ObjectType } from '@nestjs/graphql';
import { IsBoolean, IsEmail, IsEnum, IsInt, IsOptional, IsString, IsUUID, Length, Max, MaxLength, Min } from 'class-validator';
import { AccountRole } from '../../access/role';
import { ApiToken } from '../api-token.entity';

export const DEFAULT_TOKEN_DAYS = 90;
export const MAX_TOKEN_DAYS = 3650;

@InputType()
export class CreateAccountInput {
  @Field()
  @IsEmail({}, { message: 'must be an email address' })
  @MaxLength(254)
  email!: string;

  @Field(() => AccountRole)
  @IsEnum(AccountRole, { message: `must be one of ${Object.values(AccountRole).join(', ')}` })
  role!: AccountRole;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  displayName?: string;
}

@InputType()
export class UpdateAccountInput {
  @Field(() => AccountRole, { nullable: true })
  @IsOptional()
  @IsEnum(AccountRole, { message: `must be one of ${Object.values(AccountRole).join(', ')}` })
  role?: AccountRole;

  @Field(() => String, { nullable: true })
  @IsOptional()
  @IsString()
  @Length(1, 200)
  displayName?: string;

  @Field({ nullable: true, description: 'true disables the account (its tokens stop working); false enables it.' })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}

@InputType()
export class CreateApiTokenInput {
  @Field(() => ID, { nullable: true, description: 'Whose token; only admins may name another account. Default: your own.' })
  @IsOptional()
  @IsUUID('all', { message: 'must be an id (UUID)' })
  accountId?: string;

  @Field({ description: 'What the token is for.' })
  @IsString()
  @Length(1, 100)
  name!: string;

  @Field(() => Int, { nullable: true, description: `Days until it expires, 1 to ${MAX_TOKEN_DAYS} (default ${DEFAULT_TOKEN_DAYS}).` })
  @IsOptional()
  @IsInt()
  @Min(1, { message: `must be between 1 and ${MAX_TOKEN_DAYS}` })
  @Max(MAX_TOKEN_DAYS, { message: `must be between 1 and ${MAX_TOKEN_DAYS}` })
  expiresInDays?: number;
}

@ObjectType({ description: 'A new API token. `token` is shown this once and cannot be recovered.' })
export class CreatedApiToken {
  @Field({ description: 'Send as `Authorization: Bearer <token>`. Store it now: it is not shown again.' })
  token!: string;

  @Field(() => ApiToken)
  apiToken!: ApiToken;
}
