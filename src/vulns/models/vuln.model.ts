import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../graphql/pagination.js';
import { FindingStatus, VulnLevel } from './vuln-enums.js';
import { VulnEntry } from './vuln-entry.model.js';

@ObjectType({ description: 'What a fingerprint was made of: findings with equal parts are the same finding' })
export class FingerprintParts {
  @Field(() => Int) version: number;
  @Field(() => ID) siteId: number;
  @Field(() => ID) entryId: number;
  @Field(() => String, { nullable: true, description: 'Normalised URL (scheme, host, path, sorted query keys) or //host:port' })
  location: string | null;
  @Field(() => String, { nullable: true }) parameter: string | null;
}

@ObjectType({ description: 'One status change of a finding' })
export class VulnHistoryEntry {
  @Field(() => ID) id: number;
  @Field(() => FindingStatus, { nullable: true }) fromStatus: FindingStatus | null;
  @Field(() => FindingStatus) toStatus: FindingStatus;
  @Field(() => ID, { nullable: true, description: 'The user who changed it (null for scanner or system changes)' })
  userId: number | null;
  @Field(() => String, { nullable: true }) username?: string | null;
  @Field(() => ID, { nullable: true, description: 'The API key whose push caused it' })
  apiKeyId: number | null;
  @Field(() => ID, { nullable: true, description: 'The task whose scan caused it' })
  taskId: number | null;
  @Field() reason: string;
  @Field() createdAt: Date;
}

@ObjectType({ description: 'A finding: one vulnerability on one site' })
export class Vuln {
  @Field(() => ID) id: number;
  @Field(() => ID) organizationId: number;
  @Field(() => ID) siteId: number;
  @Field(() => String, { nullable: true }) siteName?: string | null;
  @Field(() => String, { nullable: true }) siteUrl?: string | null;
  @Field(() => VulnEntry) entry: VulnEntry;
  @Field(() => ID, { nullable: true, description: 'The task that first found it' })
  taskId: number | null;
  @Field(() => ID, { nullable: true, description: 'The last task that saw it' })
  lastTaskId: number | null;
  @Field() scanner: string;
  @Field(() => String, { nullable: true }) url: string | null;
  @Field(() => String, { nullable: true }) parameter: string | null;
  @Field(() => String, { nullable: true }) evidence: string | null;
  @Field(() => VulnLevel) level: VulnLevel;
  @Field(() => FindingStatus) status: FindingStatus;
  @Field() fingerprint: string;
  @Field(() => FingerprintParts) fingerprintParts: FingerprintParts;
  @Field() firstSeen: Date;
  @Field() lastSeen: Date;
  @Field() statusChangedAt: Date;
  @Field(() => Date, { nullable: true, description: 'Set while the finding is in the trash' })
  trashedAt: Date | null;
  @Field(() => [VulnHistoryEntry], { nullable: true, description: 'Status changes, oldest first (detail query only)' })
  history?: VulnHistoryEntry[];
}

@ObjectType()
export class VulnConnection extends Paginated(Vuln) {}

@ObjectType()
export class VulnStatusChangeResult {
  @Field(() => Int, { description: 'Findings whose status changed' }) changed: number;
}
