import { JwtService } from '@nestjs/jwt';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import type { FastifyRequest } from 'fastify';
import type { AccessClaims } from '../common/auth/access-token.service.js';
import { JwtStrategy } from '../common/auth/strategies/jwt.strategy.js';
import { AppConfig } from '../config/app-config.js';

export const ADMIN_COOKIE = 'xsc_admin';

interface Refusal {
  status: 401 | 403;
  code: 'UNAUTHENTICATED' | 'FORBIDDEN';
  message: string;
}

/**
 * Checks an access token for pages outside Nest's guards (the queue board): the same JWT, the
 * same session and user checks as the API (JwtStrategy), and the ADMIN role.
 */
export class AdminAuth {
  private readonly jwt: JwtService;
  private readonly strategy: JwtStrategy;
  readonly ttlSeconds: number;

  constructor(app: NestFastifyApplication) {
    this.jwt = app.get(JwtService, { strict: false });
    this.strategy = app.get(JwtStrategy, { strict: false });
    this.ttlSeconds = app.get(AppConfig).get('JWT_ACCESS_TTL_SECONDS');
  }

  tokenOf(req: FastifyRequest): string | undefined {
    const header = req.headers.authorization;
    if (typeof header === 'string' && header.startsWith('Bearer ')) return header.slice(7).trim();
    return cookie(req.headers.cookie, ADMIN_COOKIE);
  }

  /** Undefined when the caller is a signed-in administrator; otherwise why not. */
  async check(req: FastifyRequest): Promise<Refusal | undefined> {
    const token = this.tokenOf(req);
    if (!token) return { status: 401, code: 'UNAUTHENTICATED', message: `Sign in as an administrator: Authorization: Bearer <accessToken> or the ${ADMIN_COOKIE} cookie` };
    let claims: AccessClaims;
    try {
      claims = await this.jwt.verifyAsync<AccessClaims>(token, { algorithms: ['HS256'] });
    } catch {
      return { status: 401, code: 'UNAUTHENTICATED', message: 'Invalid or expired access token' };
    }
    const user = await this.strategy.validate(claims);
    if (!user) return { status: 401, code: 'UNAUTHENTICATED', message: 'Invalid or revoked credentials' };
    if (user.role !== 'ADMIN') return { status: 403, code: 'FORBIDDEN', message: 'The queue board is for administrators' };
    return undefined;
  }
}

function cookie(header: string | undefined, name: string): string | undefined {
  for (const part of (header ?? '').split(';')) {
    const [k, ...v] = part.trim().split('=');
    if (k === name && v.length) return decodeURIComponent(v.join('='));
  }
  return undefined;
}
