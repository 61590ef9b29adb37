import { registerEnumType } from '@nestjs/graphql';
import { AreaLevel, Liveness, ProbeError, RelatedDomainSource, RiskLevel } from '../../generated/prisma/enums.js';

export { AreaLevel, Liveness, ProbeError, RelatedDomainSource, RiskLevel };

export const SiteSortField = {
  ID: 'ID',
  NAME: 'NAME',
  URL: 'URL',
  LAST_PROBED_AT: 'LAST_PROBED_AT',
  SECURITY_SCORE: 'SECURITY_SCORE',
} as const;
export type SiteSortField = (typeof SiteSortField)[keyof typeof SiteSortField];

export const SortDirection = { ASC: 'ASC', DESC: 'DESC' } as const;
export type SortDirection = (typeof SortDirection)[keyof typeof SortDirection];

export const RowStatus = { CREATED: 'CREATED', CONFLICT: 'CONFLICT', INVALID: 'INVALID' } as const;
export type RowStatus = (typeof RowStatus)[keyof typeof RowStatus];

registerEnumType(AreaLevel, { name: 'AreaLevel' });
registerEnumType(Liveness, { name: 'Liveness', description: 'UNKNOWN until the first probe; ALIVE when the server answered at all' });
registerEnumType(ProbeError, { name: 'ProbeError', description: 'Why the last probe failed' });
registerEnumType(RiskLevel, { name: 'RiskLevel' });
registerEnumType(RelatedDomainSource, { name: 'RelatedDomainSource' });
registerEnumType(SiteSortField, { name: 'SiteSortField' });
registerEnumType(SortDirection, { name: 'SortDirection' });
registerEnumType(RowStatus, { name: 'SiteRowStatus' });
