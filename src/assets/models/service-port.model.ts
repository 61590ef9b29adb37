import { Field, ID, Int, ObjectType } from '@nestjs/graphql';
import { Paginated } from '../../graphql/pagination.js';
import { PortProtocol, PortState } from './asset-enums.js';

@ObjectType({ description: 'A port of an asset, as last seen' })
export class ServicePort {
  @Field(() => ID) id: number;
  @Field(() => ID) assetId: number;
  @Field({ description: "The asset's address" }) ip: string;
  @Field(() => Int) port: number;
  @Field(() => PortProtocol) protocol: PortProtocol;
  @Field(() => PortState) state: PortState;
  @Field(() => String, { nullable: true }) service: string | null;
  @Field(() => String, { nullable: true }) product: string | null;
  @Field(() => String, { nullable: true }) version: string | null;
  @Field(() => String, { nullable: true }) extraInfo: string | null;
  @Field(() => [String]) cpes: string[];
  @Field({ description: 'The scanner that last saw it' }) scanner: string;
  @Field(() => ID, { nullable: true, description: 'The task that last saw it' }) lastTaskId: number | null;
  @Field() firstSeen: Date;
  @Field() lastSeen: Date;
  @Field() stateChangedAt: Date;
}

@ObjectType()
export class ServicePortConnection extends Paginated(ServicePort) {}
