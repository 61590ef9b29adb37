import { Injectable, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import { AuthGuard as PassportGuard } from '@nestjs/passport';
import { forbidden, unauthenticated } from '../errors/domain-error.js';
import type { Role } from '../../generated/prisma/enums.js';
import { IS_PUBLIC, requestOf, ROLES, SCOPES } from './decorators.js';
import type { ApiKeyScope, Principal } from './principal.js';

/**
 * The global guard: every operation requires a signed-in user unless marked @Public; @Roles
 * narrows it to roles; API keys are refused everywhere except operations marked @Scopes whose
 * scopes they all hold.
 */
@Injectable()
export class AppAuthGuard extends PassportGuard(['jwt', 'api-key']) {
  constructor(private readonly reflector: Reflector) {
    super();
  }

  override getRequest(ctx: ExecutionContext) {
    return requestOf(ctx);
  }

  getResponse(ctx: ExecutionContext) {
    return ctx.getType<string>() === 'graphql' ? GqlExecutionContext.create(ctx).getContext().reply : ctx.switchToHttp().getResponse();
  }

  override async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const meta = <T>(key: string) => this.reflector.getAllAndOverride<T | undefined>(key, [ctx.getHandler(), ctx.getClass()]);
    const isPublic = meta<boolean>(IS_PUBLIC) ?? false;
    const req = requestOf(ctx);
    if (req.headers.authorization) {
      try {
        await super.canActivate(ctx);
      } catch (e) {
        if (!isPublic) throw e;
        req.user = undefined; // a stale token does not stop a public operation
      }
    }
    if (isPublic) return true;
    const principal = req.user;
    if (!principal) throw unauthenticated();
    return this.authorize(principal, meta<Role[]>(ROLES), meta<ApiKeyScope[]>(SCOPES));
  }

  /** An expired access token gets its own reason, so a client knows to refresh rather than sign in again. */
  override handleRequest<T>(err: unknown, user: T, info: unknown): T {
    if (!err && user) return user;
    // passport reports one failure per strategy tried (jwt, api-key): one value or an array
    const expired = [info].flat().some((i) => (i as Error | undefined)?.name === 'TokenExpiredError');
    if (expired) throw unauthenticated('The access token has expired; get a new one with refreshToken', 'TOKEN_EXPIRED');
    throw unauthenticated('Invalid or revoked credentials', 'INVALID_CREDENTIALS');
  }

  private authorize(principal: Principal, roles?: Role[], scopes?: ApiKeyScope[]): boolean {
    if (principal.kind === 'apiKey') {
      if (!scopes) throw forbidden('API keys cannot call this operation');
      const missing = scopes.filter((s) => !principal.scopes.includes(s));
      if (missing.length) throw forbidden(`This API key lacks the scope ${missing.join(', ')}`);
      return true;
    }
    if (roles && !roles.includes(principal.role)) throw forbidden('Your role does not allow this operation');
    if (scopes && !roles) throw forbidden('This operation is for scanners (API keys)');
    return true;
  }
}
