import { Module } from '@nestjs/common';
import { NewsResolver } from './news.resolver.js';
import { NewsService } from './news.service.js';

@Module({ providers: [NewsResolver, NewsService], exports: [NewsService] })
export class NewsModule {}
