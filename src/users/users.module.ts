import { Module } from '@nestjs/common';
import { OrganizationsModule } from '../organizations/organizations.module.js';
import { UsersResolver } from './users.resolver.js';
import { UsersService } from './users.service.js';

@Module({ imports: [OrganizationsModule], providers: [UsersResolver, UsersService], exports: [UsersService] })
export class UsersModule {}
