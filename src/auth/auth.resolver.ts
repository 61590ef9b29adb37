import { Args, Mutation, Query, Resolver } from '@nestjs/graphql';
import { AuthService } from './auth.service.js';
import { CaptchaService } from './captcha/captcha.service.js';
import { CurrentClient } from './client-meta.decorator.js';
import { CurrentPrincipal, Public } from '../common/auth/decorators.js';
import {
  ChangePasswordInput,
  LoginInput,
  RefreshTokenInput,
  RegisterInput,
  RequestSmsCodeInput,
  SmsRegisterInput,
  SsoLoginInput,
} from './inputs/auth.inputs.js';
import { AuthPayload, Captcha, SmsCodeSent } from './models/auth.models.js';
import type { UserPrincipal } from '../common/auth/principal.js';

type Client = { ip: string; userAgent: string };

@Resolver()
export class AuthResolver {
  constructor(
    private readonly auth: AuthService,
    private readonly captchas: CaptchaService,
  ) {}

  @Public()
  @Query(() => Captcha, { description: 'A new captcha image (for register, and login after failures)' })
  captcha(@CurrentClient() client: Client) {
    return this.captchas.create(client.ip);
  }

  @Public()
  @Mutation(() => AuthPayload, { description: 'Create an account with username, password and captcha; signs in' })
  register(@Args('input') input: RegisterInput, @CurrentClient() client: Client) {
    return this.auth.register(input, client);
  }

  @Public()
  @Mutation(() => SmsCodeSent, { description: 'Send a one-time code to a phone (limited per phone and per IP)' })
  requestSmsCode(@Args('input') input: RequestSmsCodeInput, @CurrentClient() client: Client) {
    return this.auth.requestSmsCode(input.phone, input.purpose, client);
  }

  @Public()
  @Mutation(() => AuthPayload, { description: 'Create an account with a phone number and the code sent to it; signs in' })
  smsRegister(@Args('input') input: SmsRegisterInput, @CurrentClient() client: Client) {
    return this.auth.smsRegister(input, client);
  }

  @Public()
  @Mutation(() => AuthPayload, {
    description: 'Sign in with username/phone/email and password. After failures a captcha is required (BAD_USER_INPUT, details.captchaRequired)',
  })
  login(@Args('input') input: LoginInput, @CurrentClient() client: Client) {
    return this.auth.login(input, client);
  }

  @Public()
  @Mutation(() => AuthPayload, { description: 'New tokens for a refresh token, which is then spent; reusing a spent one ends the session' })
  refreshToken(@Args('input') input: RefreshTokenInput, @CurrentClient() client: Client) {
    return this.auth.refresh(input.refreshToken, client);
  }

  @Public()
  @Mutation(() => AuthPayload, { description: 'Exchange a token signed by the partner identity provider for a session' })
  ssoLogin(@Args('input') input: SsoLoginInput, @CurrentClient() client: Client) {
    return this.auth.ssoLogin(input.token, client);
  }

  @Mutation(() => Boolean, { description: 'End this session (allSessions: every session of yours)' })
  logout(@CurrentPrincipal() principal: UserPrincipal, @Args('allSessions', { defaultValue: false }) allSessions: boolean) {
    return this.auth.logout(principal, allSessions);
  }

  @Mutation(() => Boolean, { description: 'Change your password; your other sessions end' })
  changePassword(@CurrentPrincipal() principal: UserPrincipal, @Args('input') input: ChangePasswordInput, @CurrentClient() client: Client) {
    return this.auth.changePassword(principal, input, client);
  }
}
