import { Module } from '@nestjs/common';
import { FindingRepository } from './finding.repository.js';
import { FindingsResolver } from './findings.resolver.js';
import { FindingsService } from './findings.service.js';
import { VulnLibraryResolver } from './vuln-library.resolver.js';
import { VulnLibraryService } from './vuln-library.service.js';

@Module({
  providers: [VulnLibraryService, VulnLibraryResolver, FindingRepository, FindingsService, FindingsResolver],
  exports: [FindingRepository, FindingsService, VulnLibraryService],
})
export class VulnsModule {}
