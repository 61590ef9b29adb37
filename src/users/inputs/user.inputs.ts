import { ArgsType, Field, InputType } from '@nestjs/graphql';
import { Type } from 'class-transformer';
import { IsBoolean, IsEnum, IsOptional, ValidateNested } from 'class-validator';
import { IdField, OptionalIdField, OptionalTextField } from '../../common/validation/fields.js';
import { PageArgs } from '../../graphql/pagination.js';
import { Role } from '../../generated/prisma/enums.js';
import { DisplayNameField, EmailField, PasswordField, PhoneField, UsernameField } from './fields.js';

@InputType()
export class UserFilter {
  @OptionalTextField(100, { description: 'Part of the username, display name, email or phone' }) text?: string;

  @Field(() => Role, { nullable: true })
  @IsOptional()
  @IsEnum(Role)
  role?: Role;

  @OptionalIdField() organizationId?: number;

  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;
}

@InputType()
export class CreateUserInput {
  @Field() @UsernameField() username: string;
  @Field() @PasswordField() password: string;

  @Field(() => Role, { defaultValue: Role.USER })
  @IsEnum(Role)
  role: Role = Role.USER;

  @OptionalIdField() organizationId?: number;

  @Field({ nullable: true }) @IsOptional() @DisplayNameField() displayName?: string;
  @Field({ nullable: true }) @IsOptional() @EmailField() email?: string;
  @Field({ nullable: true }) @IsOptional() @PhoneField() phone?: string;
}

@InputType({ description: 'Fields left out are unchanged; organizationId: null removes the organisation' })
export class UpdateUserInput {
  @IdField() id: number;

  @Field(() => Role, { nullable: true })
  @IsOptional()
  @IsEnum(Role)
  role?: Role;

  @OptionalIdField() organizationId?: number | null;

  @Field({ nullable: true })
  @IsOptional()
  @IsBoolean()
  disabled?: boolean;

  @Field({ nullable: true }) @IsOptional() @DisplayNameField() displayName?: string;
}

@InputType()
export class ResetUserPasswordInput {
  @IdField() id: number;

  @Field() @PasswordField('newPassword') newPassword: string;
}

@InputType({ description: 'Fields left out are unchanged; null clears email or phone' })
export class UpdateProfileInput {
  @Field(() => String, { nullable: true }) @IsOptional() @DisplayNameField() displayName?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @EmailField() email?: string | null;
  @Field(() => String, { nullable: true }) @IsOptional() @PhoneField() phone?: string | null;
}

/** Paging and filter in one ArgsType: a bare @Args() PageArgs beside a named arg fails whitelisting. */
@ArgsType()
export class UsersArgs extends PageArgs {
  @Field(() => UserFilter, { nullable: true })
  @IsOptional()
  @ValidateNested()
  @Type(() => UserFilter)
  filter?: UserFilter;
}
