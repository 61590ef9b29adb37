import { registerEnumType } from '@nestjs/graphql';
import { FindingStatus, VulnLevel } from '../../generated/prisma/enums.js';

registerEnumType(VulnLevel, { name: 'VulnLevel', description: 'Severity, from CRITICAL down to INFO' });
registerEnumType(FindingStatus, {
  name: 'VulnStatus',
  description:
    'OPEN until fixed. FIXED is set by hand or when a completed scan that covers the finding no longer sees it; ' +
    'a FIXED finding seen again re-opens. IGNORED and FALSE_POSITIVE are decisions of a person and survive rescans.',
});

export { FindingStatus, VulnLevel };
