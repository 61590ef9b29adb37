import { createSecretKey } from 'node:crypto';
import { Injectable } from '@nestjs/common';
import { PassportStrategy } from '@nestjs/passport';
import { ExtractJwt, Strategy } from 'passport-jwt';
import { AppConfig } from '../../../config/app-config.js';
import { SqlPool } from '../../../db/sql-pool.js';
import type { Role } from '../../../generated/prisma/enums.js';
import type { AccessClaims } from '../access-token.service.js';
import type { UserPrincipal } from '../principal.js';
import { SessionsService } from '../sessions.service.js';

@Injectable()
export class JwtStrategy extends PassportStrategy(Strategy, 'jwt') {
  constructor(
    config: AppConfig,
    private readonly sql: SqlPool,
    private readonly sessions: SessionsService,
  ) {
    super({
      jwtFromRequest: ExtractJwt.fromAuthHeaderAsBearerToken(),
      // A KeyObject, not the string: jsonwebtoken would otherwise build one on every verify (~1 ms).
      secretOrKey: createSecretKey(Buffer.from(config.get('JWT_SECRET'))) as unknown as Buffer, // jsonwebtoken 9 accepts KeyObjects; the typings lag
      algorithms: ['HS256'],
    });
  }

  /**
   * Rejects tokens of ended sessions (logout, password change, refresh-token reuse) and of
   * disabled or deleted users; role and organisation are read fresh.
   */
  async validate(claims: AccessClaims): Promise<UserPrincipal | false> {
    // Every token belongs to a session: one without a session id could never be revoked.
    if (typeof claims.sub !== 'number' || typeof claims.sid !== 'string' || !claims.sid) return false;
    // Every authenticated request runs this: the session check (Redis) and one indexed row,
    // without Prisma's query layer, side by side.
    const [revoked, [user]] = await Promise.all([
      this.sessions.isRevoked(claims.sid),
      this.sql.rows<{ id: number; username: string; role: Role; organizationId: number | null; disabled: boolean }>(
        'SELECT id, username, role, "organizationId", disabled FROM "User" WHERE id = $1',
        [claims.sub],
      ),
    ]);
    if (revoked) return false;
    if (!user || user.disabled) return false;
    return { kind: 'user', id: user.id, username: user.username, role: user.role, organizationId: user.organizationId, sessionId: claims.sid };
  }
}
