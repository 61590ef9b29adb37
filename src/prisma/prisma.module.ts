import { Global, Module } from '@nestjs/common';
import { SqlPool } from '../db/sql-pool.js';
import { PrismaService } from './prisma.service.js';

/** The database clients every module uses: Prisma, and a plain pg pool for SQL-heavy work. */
@Global()
@Module({ providers: [PrismaService, SqlPool], exports: [PrismaService, SqlPool] })
export class PrismaModule {}
