import { createHash } from 'node:crypto';
import { Injectable, Logger } from '@nestjs/common';
import { JwtService } from '@nestjs/jwt';
import { forbidden, unauthenticated } from '../common/errors/domain-error.js';
import { AppConfig } from '../config/app-config.js';

export interface PartnerIdentity {
  externalId: string;
  username?: string;
  displayName?: string;
  email?: string;
}

const HMAC_ALGORITHMS = ['HS256', 'HS384', 'HS512'] as const;
const KEY_ALGORITHMS = ['RS256', 'RS384', 'RS512', 'ES256', 'ES384', 'ES512', 'PS256'] as const;

/**
 * Partner single sign-on (the old hjLogin): verifies a JWT signed by the configured partner
 * (signature, algorithm family, iss, exp required, aud when configured) and returns who it names.
 */
@Injectable()
export class SsoService {
  private readonly logger = new Logger(SsoService.name);
  private readonly jwt = new JwtService();

  constructor(private readonly config: AppConfig) {}

  get enabled(): boolean {
    return Boolean(this.config.get('SSO_PARTNER_ISSUER') && (this.config.get('SSO_PARTNER_SECRET') || this.config.get('SSO_PARTNER_PUBLIC_KEY')));
  }

  verify(token: string): PartnerIdentity {
    if (!this.enabled) throw forbidden('Partner single sign-on is not configured');
    const secret = this.config.get('SSO_PARTNER_SECRET');
    const publicKey = this.config.get('SSO_PARTNER_PUBLIC_KEY')?.replace(/\\n/g, '\n');
    const audience = this.config.get('SSO_PARTNER_AUDIENCE');
    let claims: Record<string, unknown>;
    try {
      claims = this.jwt.verify(token, {
        ...(secret ? { secret, algorithms: [...HMAC_ALGORITHMS] } : { publicKey, algorithms: [...KEY_ALGORITHMS] }),
        issuer: this.config.get('SSO_PARTNER_ISSUER'),
        ...(audience ? { audience } : {}),
      });
    } catch (e) {
      this.logger.warn(`partner token refused: ${e instanceof Error ? e.message : String(e)}`);
      throw unauthenticated('The partner token is invalid or expired');
    }
    const { iss, sub, exp } = claims;
    if (typeof sub !== 'string' || !sub || sub.length > 200 || typeof exp !== 'number') {
      throw unauthenticated('The partner token must carry sub and exp');
    }
    const text = (v: unknown, max: number) => (typeof v === 'string' && v.trim() && v.length <= max ? v.trim() : undefined);
    return {
      externalId: `${String(iss)}|${sub}`,
      username: text(claims.preferred_username ?? claims.username, 32),
      displayName: text(claims.name, 100),
      email: text(claims.email, 254),
    };
  }
}

/** A stable fallback username for a partner identity. */
export const ssoUsername = (externalId: string): string =>
  `sso-${createHash('sha256').update(externalId).digest('hex').slice(0, 12)}`;
