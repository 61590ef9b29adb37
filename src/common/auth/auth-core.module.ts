import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { JwtModule } from '@nestjs/jwt';
import { PassportModule } from '@nestjs/passport';
import { AppConfig } from '../../config/app-config.js';
import { AccessTokenService } from './access-token.service.js';
import { AppAuthGuard } from './auth.guard.js';
import { setPasswordHashCost } from './password-hasher.js';
import { SessionsService } from './sessions.service.js';
import { ApiKeyStrategy } from './strategies/api-key.strategy.js';
import { JwtStrategy } from './strategies/jwt.strategy.js';

/** Authentication every module relies on: strategies, the global guard, access tokens, sessions. */
@Global()
@Module({
  imports: [
    PassportModule,
    JwtModule.registerAsync({
      inject: [AppConfig],
      useFactory: (config: AppConfig) => ({ secret: config.get('JWT_SECRET'), signOptions: { algorithm: 'HS256' } }),
    }),
  ],
  providers: [JwtStrategy, ApiKeyStrategy, AccessTokenService, SessionsService, { provide: APP_GUARD, useClass: AppAuthGuard }],
  exports: [AccessTokenService, SessionsService],
})
export class AuthCoreModule {
  /** The cost of new password hashes in this process, from PASSWORD_HASH_* (before any start-up hook hashes one). */
  constructor(config: AppConfig) {
    setPasswordHashCost({
      memoryCost: config.get('PASSWORD_HASH_MEMORY_KIB'),
      timeCost: config.get('PASSWORD_HASH_TIME_COST'),
      parallelism: config.get('PASSWORD_HASH_PARALLELISM'),
    });
  }
}
