import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../graphql/pagination.js';
import { Vuln } from '../../vulns/models/vuln.model.js';
import { AssetLiveness } from './asset-enums.js';
import { ServicePort } from './service-port.model.js';

@ObjectType({ description: 'A host of an organisation, found by port scans' })
export class Asset {
  @Field(() => ID) id: number;
  @Field(() => ID) organizationId: number;
  @Field({ description: 'IPv4 or IPv6 address' }) ip: string;
  @Field(() => [String], { description: 'Host names (lower-case), the user-given one first' }) hostnames: string[];
  @Field(() => String, { nullable: true }) osName: string | null;
  @Field(() => String, { nullable: true }) osFamily: string | null;
  @Field(() => Int, { nullable: true, description: "The scanner's confidence in osName, 0-100" }) osAccuracy: number | null;
  @Field(() => AssetLiveness) liveness: AssetLiveness;
  @Field(() => Int, { description: 'Ports now OPEN' }) openPorts: number;
  @Field() firstSeen: Date;
  @Field() lastSeen: Date;
}

@ObjectType()
export class AssetConnection extends Paginated(Asset) {}

@ObjectType({ description: 'A site an asset serves' })
export class AssetSiteRef {
  @Field(() => ID) id: number;
  @Field() name: string;
  @Field() url: string;
}

@ObjectType({ description: 'An asset with its ports, the sites it serves and their open findings' })
export class AssetDetail extends Asset {
  @Field(() => [ServicePort], { description: 'Every port ever seen, by protocol and number' }) ports: ServicePort[];
  @Field(() => [AssetSiteRef]) sites: AssetSiteRef[];
  @Field(() => [Vuln], { description: 'OPEN findings (not in the trash) of the sites it serves, most severe first (at most 200)' })
  openFindings: Vuln[];
}
