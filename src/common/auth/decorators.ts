import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { GqlExecutionContext } from '@nestjs/graphql';
import type { Role } from '../../generated/prisma/enums.js';
import type { ApiKeyScope, Principal } from './principal.js';

export const IS_PUBLIC = 'xsc:isPublic';
export const ROLES = 'xsc:roles';
export const SCOPES = 'xsc:scopes';

/** Opens an operation to anonymous callers (a signed-in caller is still recognised). */
export const Public = () => SetMetadata(IS_PUBLIC, true);

/** Restricts an operation to users with one of these roles. */
export const Roles = (...roles: Role[]) => SetMetadata(ROLES, roles);

/**
 * Opens an operation to API keys holding every one of these scopes. Without this decorator an
 * API key is refused everywhere; users are refused here unless @Roles also admits them.
 */
export const Scopes = (...scopes: ApiKeyScope[]) => SetMetadata(SCOPES, scopes);

export function requestOf(ctx: ExecutionContext): { user?: Principal; headers: Record<string, unknown>; ip?: string } {
  return ctx.getType<string>() === 'graphql'
    ? GqlExecutionContext.create(ctx).getContext().req
    : ctx.switchToHttp().getRequest();
}

/** The authenticated caller (undefined only on @Public operations called anonymously). */
export const CurrentPrincipal = createParamDecorator((_: unknown, ctx: ExecutionContext) => requestOf(ctx).user);
