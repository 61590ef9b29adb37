import { Args, Query, Resolver } from '@nestjs/graphql';
import { Area } from '../models/area.model.js';
import { AreasArgs } from '../inputs/area.args.js';
import { AreasService } from './areas.service.js';

@Resolver(() => Area)
export class AreasResolver {
  constructor(private readonly service: AreasService) {}

  @Query(() => [Area], { description: 'Administrative divisions of China (provinces and cities)' })
  areas(@Args() args: AreasArgs) {
    return this.service.list(args);
  }
}
