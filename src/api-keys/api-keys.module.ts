import { Module } from '@nestjs/common';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { ApiKeysResolver } from './api-keys.resolver.js';
import { ApiKeysService } from './api-keys.service.js';

/** Scanner API keys: created by administrators for one organisation, listed, revoked. */
@Module({
  imports: [OrganizationsModule],
  providers: [ApiKeysResolver, ApiKeysService],
})
export class ApiKeysModule {}
