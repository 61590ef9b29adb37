import { Field, ID, ObjectType } from '@nestjs/graphql';
import { VulnLevel } from './vuln-enums.js';
import { Paginated } from '../../graphql/pagination.js';

@ObjectType({ description: 'A library entry: what a vulnerability is, shared by all its findings' })
export class VulnEntry {
  @Field(() => ID) id: number;
  @Field(() => ID, { nullable: true, description: "Null for a curated entry (global); else the organisation whose scanner data made it" })
  organizationId: number | null;
  @Field({ description: 'Match key: "<scanner>:<checkId>" for scanner checks, "name:<lower-case name>" otherwise' })
  key: string;
  @Field(() => String, { nullable: true }) scanner: string | null;
  @Field(() => String, { nullable: true, description: "The scanner's own id of the check (nuclei template id, ZAP plugin id...)" })
  checkId: string | null;
  @Field() name: string;
  @Field(() => VulnLevel) level: VulnLevel;
  @Field(() => String, { nullable: true }) kind: string | null;
  @Field(() => String, { nullable: true }) description: string | null;
  @Field(() => String, { nullable: true }) solution: string | null;
  @Field(() => [String]) references: string[];
  @Field(() => [String]) cve: string[];
  @Field(() => [String]) cwe: string[];
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
}

@ObjectType()
export class VulnEntryConnection extends Paginated(VulnEntry) {}
