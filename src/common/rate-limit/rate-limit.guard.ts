import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { FastifyReply } from 'fastify';
import { requestOf } from '../auth/decorators.js';
import { DomainError } from '../errors/domain-error.js';
import { RATE_LIMIT_CLASS, type RateLimitClass } from './rate-limit-classes.js';
import { RateLimitService } from './rate-limit.service.js';

/**
 * Counts a call of a @RateLimited operation (GraphQL resolver or HTTP controller). Runs after
 * the global auth guard, so the caller is known. A refusal also sets Retry-After on the reply.
 */
@Injectable()
export class RateLimitGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    private readonly limits: RateLimitService,
  ) {}

  async canActivate(ctx: ExecutionContext): Promise<boolean> {
    const cls = this.reflector.getAllAndOverride<RateLimitClass | undefined>(RATE_LIMIT_CLASS, [ctx.getHandler(), ctx.getClass()]);
    if (!cls) return true;
    const req = requestOf(ctx);
    try {
      await this.limits.consume(cls, req.user, req.ip);
    } catch (e) {
      const wait = e instanceof DomainError ? e.details?.retryAfterSeconds : undefined;
      if (typeof wait === 'number') replyOf(ctx)?.header('retry-after', String(wait));
      throw e;
    }
    return true;
  }
}

function replyOf(ctx: ExecutionContext): FastifyReply | undefined {
  return ctx.getType<string>() === 'graphql'
    ? (GqlExecutionContext.create(ctx).getContext<{ reply?: FastifyReply }>().reply)
    : ctx.switchToHttp().getResponse<FastifyReply>();
}
