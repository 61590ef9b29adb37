import { Field, ID, InputType, registerEnumType } from '@nestjs/graphql';
import { IsEnum, IsOptional, IsString, IsUUID, Matches } from 'class-validator';
import { OptionalTextField, TextField } from '../../common/validation/fields.js';
import { PasswordField, PhoneField, UsernameField } from '../../users/inputs/fields.js';

@InputType()
export class CaptchaAnswerInput {
  @Field(() => ID, { nullable: true, description: 'Id of the captcha answered (from the captcha query)' })
  @IsOptional()
  @IsUUID()
  captchaId?: string;

  @OptionalTextField(20, { description: 'The characters shown in the captcha image' }) captchaAnswer?: string;
}

@InputType()
export class RegisterInput extends CaptchaAnswerInput {
  @Field() @UsernameField() username: string;
  @Field() @PasswordField() password: string;
}

@InputType()
export class LoginInput extends CaptchaAnswerInput {
  @TextField(254, { description: 'Username, phone number or email' }) username: string;
  @TextField(128) password: string;
}

export enum SmsCodePurpose {
  REGISTER = 'register',
}
registerEnumType(SmsCodePurpose, { name: 'SmsCodePurpose', description: 'What an SMS code is for' });

@InputType()
export class RequestSmsCodeInput {
  @Field() @PhoneField() phone: string;

  @Field(() => SmsCodePurpose, { defaultValue: SmsCodePurpose.REGISTER })
  @IsEnum(SmsCodePurpose)
  purpose: SmsCodePurpose = SmsCodePurpose.REGISTER;
}

@InputType()
export class SmsRegisterInput {
  @Field() @PhoneField() phone: string;

  @Field({ description: 'The 6-digit code received by SMS' })
  @IsString()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code: string;

  @Field({ description: 'For later sign-ins with phone (or username) and password' }) @PasswordField() password: string;

  @Field({ nullable: true, description: 'Defaults to "u" followed by the phone digits' })
  @IsOptional()
  @UsernameField()
  username?: string;
}

@InputType()
export class RefreshTokenInput {
  @Field()
  @IsString()
  @Matches(/^[A-Za-z0-9_-]{43}$/, { message: 'refreshToken is malformed' })
  refreshToken: string;
}

@InputType()
export class ChangePasswordInput {
  @TextField(128) currentPassword: string;

  @Field() @PasswordField('newPassword') newPassword: string;
}

@InputType()
export class SsoLoginInput {
  @TextField(8192, { description: 'A JWT signed by the configured partner' }) token: string;
}
