import { createReadStream } from 'node:fs';
import { Controller, Get, Header, Param, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import type { FastifyReply } from 'fastify';
import { Public } from '../../common/auth/decorators.js';
import { notFound } from '../../common/errors/domain-error.js';
import { IDE_ASSETS, IDE_ASSET_PATH } from './ide-assets.js';

@ApiExcludeController()
@Controller(IDE_ASSET_PATH.slice(1))
export class IdeController {
  @Public()
  @Get(':name')
  @Header('Cache-Control', 'public, max-age=86400')
  asset(@Param('name') name: string, @Res() reply: FastifyReply) {
    const asset = Object.hasOwn(IDE_ASSETS, name) ? IDE_ASSETS[name] : undefined;
    if (!asset) throw notFound('IDE asset', name);
    return reply.type(asset.type).send(createReadStream(asset.file));
  }
}
