import { Field, ID, ObjectType } from '@nestjs/graphql';
import { GraphQLDateTime } from '../common/date-time';
import { Check, Column, CreateDateColumn, Entity, PrimaryGeneratedColumn, UpdateDateColumn } from 'typeorm';
import { AccountRole } from '../access/role';

/** Someone who may sign requests with an API token. Accounts are never deleted, only disabled, so
 * the audit log keeps pointing at who acted. */
@ObjectType({ description: 'A person who uses Vigil with an API token.' })
@Entity()
@Check('account_email_lower_case', `"email" = lower("email")`)
export class Account {
  @Field(() => ID)
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Field({ description: 'Stored in lower case; unique.' })
  @Column({ type: 'text', unique: true })
  email!: string;

  @Field(() => String, { nullable: true })
  @Column({ type: 'text', nullable: true })
  displayName!: string | null;

  @Field(() => AccountRole)
  @Column({ type: 'enum', enum: AccountRole, enumName: 'account_role' })
  role!: AccountRole;

  @Field(() => GraphQLDateTime)
  @CreateDateColumn({ type: 'timestamptz' })
  createdAt!: Date;

  @Field(() => GraphQLDateTime)
  @UpdateDateColumn({ type: 'timestamptz' })
  updatedAt!: Date;

  @Field(() => GraphQLDateTime, { nullable: true, description: 'When set, none of the account\'s tokens work.' })
  @Column({ type: 'timestamptz', nullable: true })
  disabledAt!: Date | null;
}
