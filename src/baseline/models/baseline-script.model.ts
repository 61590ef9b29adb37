import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { VulnLevel } from '../../vulns/models/vuln-enums.js';

@ObjectType()
export class BaselineCheck {
  @Field() checkId: string;
  @Field() title: string;
  @Field(() => VulnLevel) level: VulnLevel;
  @Field(() => String, { nullable: true }) expected: string | null;
  @Field(() => String, { nullable: true }) rationale: string | null;
  @Field(() => String, { nullable: true }) remediation: string | null;
}

@ObjectType({ description: 'One version of a script: its checks as they were then. Results keep the version they used.' })
export class BaselineScriptVersion {
  @Field(() => ID) id: number;
  @Field(() => Int) version: number;
  @Field() createdAt: Date;
  @Field(() => [BaselineCheck]) checks: BaselineCheck[];
}

@ObjectType({ description: 'A hardening guide (CIS-style) for an OS or a piece of software, versioned: every edit adds a version' })
export class BaselineScript {
  @Field(() => ID) id: number;
  @Field() name: string;
  @Field() target: string;
  @Field(() => String, { nullable: true }) targetVersion: string | null;
  @Field(() => String, { nullable: true }) description: string | null;
  @Field({ description: 'ADMIN (written here), KUBE_BENCH or XCCDF (created by a file import)' }) source: string;
  @Field(() => Int, { description: 'The current version number' }) latestVersion: number;
  @Field() createdAt: Date;
  @Field() updatedAt: Date;
  @Field(() => BaselineScriptVersion, { description: 'The current version with its checks' }) current: BaselineScriptVersion;
}
