import { Injectable } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { AppConfig } from '../../config/app-config.js';
import type { Role } from '../../generated/prisma/enums.js';

export interface AccessClaims {
  sub: number;
  role: Role;
  sid: string;
}

/** Signs and verifies the short-lived access JWTs. */
@Injectable()
export class AccessTokenService {
  constructor(
    private readonly jwt: JwtService,
    private readonly config: AppConfig,
  ) {}

  get ttlSeconds(): number {
    return this.config.get('JWT_ACCESS_TTL_SECONDS');
  }

  sign(user: { id: number; role: Role }, sessionId: string): string {
    const claims: AccessClaims = { sub: user.id, role: user.role, sid: sessionId };
    return this.jwt.sign(claims, { expiresIn: this.ttlSeconds });
  }
}
