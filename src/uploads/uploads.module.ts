import { Module } from '@nestjs/common';
import { UploadsResolver } from './uploads.resolver.js';
import { UploadsService } from './uploads.service.js';

@Module({ providers: [UploadsResolver, UploadsService] })
export class UploadsModule {}
