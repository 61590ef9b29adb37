import { Global, Module, type DynamicModule } from '@nestjs/common';
import { setPasswordHashCost } from '../common/auth/password-hasher.js';
import { AppConfig } from './app-config.js';
import type { Env } from './env.schema.js';

@Global()
@Module({})
export class ConfigModule {
  static forRoot(env: Env): DynamicModule {
    setPasswordHashCost({ memoryCost: env.PASSWORD_HASH_MEMORY_KIB, timeCost: env.PASSWORD_HASH_TIME_COST, parallelism: env.PASSWORD_HASH_PARALLELISM });
    return { module: ConfigModule, providers: [{ provide: AppConfig, useValue: new AppConfig(env) }], exports: [AppConfig] };
  }
}
