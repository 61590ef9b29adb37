import { Module } from '@nestjs/common';
import { AssetsResolver } from './assets.resolver.js';
import { AssetsService } from './assets.service.js';

/** Assets (hosts), their service ports and the sites they serve. Imports write them in src/assets/import. */
@Module({
  providers: [AssetsService, AssetsResolver],
})
export class AssetsModule {}
