import { Module } from '@nestjs/common';
import { VulnsModule } from '../vulns/vulns.module.js';
import { TasksResolver } from './tasks.resolver.js';
import { TaskRepository } from './task.repository.js';
import { TasksService } from './tasks.service.js';

@Module({
  imports: [VulnsModule],
  providers: [TaskRepository, TasksService, TasksResolver],
  exports: [TaskRepository, TasksService],
})
export class TasksModule {}
