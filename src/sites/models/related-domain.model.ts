import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../graphql/pagination.js';
import { RelatedDomainSource } from './enums.js';

@ObjectType({ description: 'A host name under a site\'s registrable domain, found by the probe or a scanner' })
export class RelatedDomain {
  @Field(() => ID) id: number;
  @Field(() => ID) siteId: number;
  @Field() hostname: string;
  @Field(() => RelatedDomainSource) source: RelatedDomainSource;
  @Field() firstSeen: Date;
  @Field() lastSeen: Date;
}

@ObjectType()
export class RelatedDomainConnection extends Paginated(RelatedDomain) {}

@ObjectType()
export class SiteRelatedDomainCount {
  @Field(() => ID) siteId: number;
  @Field(() => Int) count: number;
}

@ObjectType()
export class SyncRelatedDomainsResult {
  @Field(() => Int, { description: 'Host names stored or refreshed' }) accepted: number;
  @Field(() => [String], { description: 'Host names refused: invalid or not under the site\'s domain' }) rejected: string[];
}
