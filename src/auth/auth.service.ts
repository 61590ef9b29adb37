import { randomBytes } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { badInput, conflict, DomainError, forbidden } from '../common/errors/domain-error.js';
import { ErrorCode } from '../common/errors/error-codes.js';
import { AppConfig } from '../config/app-config.js';
import type { Prisma, User as UserRow } from '../generated/prisma/client.js';
import { PrismaService } from '../prisma/prisma.service.js';
import { toUser } from '../users/models/user.model.js';
import { classifyIdentifier, isValidUsername, normalizeEmail, normalizeUsername } from '../users/normalize.js';
import { CaptchaService } from './captcha/captcha.service.js';
import { SmsCodePurpose, type ChangePasswordInput, type LoginInput, type RegisterInput, type SmsRegisterInput } from './inputs/auth.inputs.js';
import { LoginThrottleService } from './login-throttle.service.js';
import type { AuthPayload } from './models/auth.models.js';
import { hashPassword, verifyPassword } from '../common/auth/password-hasher.js';
import type { UserPrincipal } from '../common/auth/principal.js';
import { SessionsService, type ClientMeta } from '../common/auth/sessions.service.js';
import { SmsCodeService } from './sms/sms-code.service.js';
import { ssoUsername, SsoService, type PartnerIdentity } from './sso.service.js';

type Client = Required<ClientMeta>;

/** Sign-up, sign-in, sessions and passwords. */
@Injectable()
export class AuthService {
  /** Verified against when the account does not exist, so both cases take as long. */
  private readonly dummyHash = hashPassword(randomBytes(16).toString('hex'));

  constructor(
    private readonly prisma: PrismaService,
    private readonly config: AppConfig,
    private readonly sessions: SessionsService,
    private readonly captcha: CaptchaService,
    private readonly throttle: LoginThrottleService,
    private readonly sms: SmsCodeService,
    private readonly sso: SsoService,
  ) {}

  async register(input: RegisterInput, client: Client): Promise<AuthPayload> {
    this.assertSelfRegistration();
    await this.captcha.verify(input.captchaId, input.captchaAnswer);
    const user = await this.createUser({ username: input.username, passwordHash: await hashPassword(input.password) });
    return this.startSession(user, client);
  }

  async requestSmsCode(phone: string, purpose: SmsCodePurpose, client: Client) {
    switch (purpose) {
      case SmsCodePurpose.REGISTER:
        this.assertSelfRegistration();
        if (await this.prisma.user.count({ where: { phone } })) throw conflict('This phone number is already registered', { field: 'phone' });
        return this.sms.send(purpose, phone, client.ip);
    }
  }

  async smsRegister(input: SmsRegisterInput, client: Client): Promise<AuthPayload> {
    this.assertSelfRegistration();
    const username = input.username ?? `u${input.phone.replace(/\D/g, '')}`;
    // refuse a taken phone or username before spending the code on it
    if (await this.prisma.user.count({ where: { phone: input.phone } })) throw conflict('This phone is already registered', { field: 'phone' });
    if (await this.prisma.user.count({ where: { username } })) throw conflict('This username is already registered', { field: 'username' });
    await this.sms.verify(SmsCodePurpose.REGISTER, input.phone, input.code);
    const user = await this.createUser({
      username,
      phone: input.phone,
      passwordHash: await hashPassword(input.password),
    });
    return this.startSession(user, client);
  }

  /** Same answer for an unknown account and a wrong password; counts failures; captcha after a few. */
  async login(input: LoginInput, client: Client): Promise<AuthPayload> {
    const id = classifyIdentifier(input.username);
    const user = await this.prisma.user.findUnique({ where: { [id.field]: id.value } as unknown as Prisma.UserWhereUniqueInput });
    // One counter per account whichever identifier is typed; per name typed for unknown ones.
    const account = user ? `user:${user.id}` : `${id.field}:${id.value}`;
    const { captchaRequired } = await this.throttle.check(account, client.ip);
    if (captchaRequired) await this.captcha.verify(input.captchaId, input.captchaAnswer);
    const ok = await verifyPassword(user?.passwordHash ?? (await this.dummyHash), input.password);
    if (!user || !user.passwordHash || !ok) {
      const next = await this.throttle.fail(account, client.ip);
      throw new DomainError(ErrorCode.UNAUTHENTICATED, 'Wrong username or password', { captchaRequired: next.captchaRequired });
    }
    if (user.disabled) throw forbidden('This account is disabled');
    await this.throttle.succeed(account);
    return this.startSession(user, client);
  }

  async refresh(refreshToken: string, client: Client): Promise<AuthPayload> {
    const { userId, tokens } = await this.sessions.rotate(refreshToken, client);
    const user = await this.prisma.user.findUniqueOrThrow({ where: { id: userId } });
    return { ...tokens, user: toUser(user) };
  }

  /** Ends the caller's session (or all of their sessions). */
  async logout(principal: UserPrincipal, allSessions: boolean): Promise<boolean> {
    if (allSessions) await this.sessions.revokeAllForUser(principal.id);
    else if (principal.sessionId) await this.sessions.revokeFamilies([principal.sessionId]);
    return true;
  }

  /** Needs the current password (failures count like failed logins); ends the user's other sessions. */
  async changePassword(principal: UserPrincipal, input: ChangePasswordInput, client: Client): Promise<boolean> {
    const account = `user:${principal.id}`;
    await this.throttle.check(account, client.ip);
    const user = await this.prisma.user.findUniqueOrThrow({ where: { id: principal.id } });
    if (!user.passwordHash) throw badInput('This account signs in through single sign-on and has no password', { field: 'currentPassword' });
    if (!(await verifyPassword(user.passwordHash, input.currentPassword))) {
      await this.throttle.fail(account, client.ip);
      throw badInput('The current password is wrong', { field: 'currentPassword' });
    }
    if (input.newPassword === input.currentPassword) throw badInput('The new password must differ from the current one', { field: 'newPassword' });
    await this.prisma.user.update({
      where: { id: user.id },
      data: { passwordHash: await hashPassword(input.newPassword), passwordChangedAt: new Date() },
    });
    await this.sessions.revokeAllForUser(user.id, principal.sessionId);
    return true;
  }

  /** Partner single sign-on: the first sign-in creates the user. */
  async ssoLogin(token: string, client: Client): Promise<AuthPayload> {
    const identity = this.sso.verify(token);
    const user = (await this.prisma.user.findUnique({ where: { externalId: identity.externalId } })) ?? (await this.createSsoUser(identity));
    if (user.disabled) throw forbidden('This account is disabled');
    return this.startSession(user, client);
  }

  private async createSsoUser(identity: PartnerIdentity): Promise<UserRow> {
    const wanted = identity.username && isValidUsername(identity.username) ? normalizeUsername(identity.username) : null;
    const usernameFree = wanted !== null && !(await this.prisma.user.count({ where: { username: wanted } }));
    const email = identity.email ? normalizeEmail(identity.email) : null;
    const emailFree = email !== null && !(await this.prisma.user.count({ where: { email } }));
    const orgName = this.config.get('SSO_PARTNER_ORGANIZATION');
    try {
      return await this.prisma.user.create({
        data: {
          username: usernameFree ? wanted : ssoUsername(identity.externalId),
          externalId: identity.externalId,
          displayName: identity.displayName ?? null,
          email: emailFree ? email : null,
          organizationId: orgName ? await this.organizationId(orgName) : null,
        },
      });
    } catch (e) {
      // a concurrent first sign-in of the same identity created it: use that one
      const raced = (e as { code?: string }).code === 'P2002' && (await this.prisma.user.findUnique({ where: { externalId: identity.externalId } }));
      if (raced) return raced;
      throw e;
    }
  }

  private async startSession(user: UserRow, client: Client): Promise<AuthPayload> {
    const updated = await this.prisma.user.update({ where: { id: user.id }, data: { lastLoginAt: new Date() } });
    const tokens = await this.sessions.start(updated, client);
    return { ...tokens, user: toUser(updated) };
  }

  private async createUser(data: { username: string; passwordHash: string; phone?: string }): Promise<UserRow> {
    const orgName = this.config.get('SELF_REGISTRATION_ORGANIZATION');
    try {
      return await this.prisma.user.create({
        data: { ...data, passwordChangedAt: new Date(), organizationId: orgName ? await this.organizationId(orgName) : null },
      });
    } catch (e) {
      if ((e as { code?: string }).code === 'P2002') {
        const field = data.phone && !(await this.prisma.user.count({ where: { username: data.username } })) ? 'phone' : 'username';
        throw conflict(`This ${field} is already registered`, { field });
      }
      throw e;
    }
  }

  /** The organisation named in the configuration, created on first use (safe under concurrency). */
  private async organizationId(name: string): Promise<number> {
    const org = await this.prisma.organization.upsert({ where: { name }, create: { name }, update: {} });
    return org.id;
  }

  private assertSelfRegistration() {
    if (!this.config.get('SELF_REGISTRATION')) throw forbidden('Self-registration is disabled; ask an administrator for an account');
  }
}
