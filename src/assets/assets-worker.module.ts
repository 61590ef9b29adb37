import { Module } from '@nestjs/common';
import { AssetsModule } from './assets.module.js';
import { AssetsProcessor } from './assets.processor.js';

/** The `assets` queue consumer; loaded where workers run. */
@Module({ imports: [AssetsModule], providers: [AssetsProcessor] })
export class AssetsWorkerModule {}
