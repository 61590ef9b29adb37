import { Args, Int, Mutation, Query, Resolver } from '@nestjs/graphql';
import { Roles, Scopes } from '../common/auth/decorators.js';
import { IdArg } from '../common/validation/fields.js';
import { BaselineScriptsService } from './baseline-scripts.service.js';
import { BaselineScriptInput } from './inputs/baseline-script.input.js';
import { BaselineScript, BaselineScriptVersion } from './models/baseline-script.model.js';

@Resolver(() => BaselineScript)
export class BaselineScriptsResolver {
  constructor(private readonly scripts: BaselineScriptsService) {}

  // Users, and agents (sync:baseline) that need the checks they run.
  @Roles('ADMIN', 'USER')
  @Scopes('sync:baseline')
  @Query(() => [BaselineScript], { description: 'Baseline scripts (hardening guides), by name, each with its current version' })
  baselineScripts() {
    return this.scripts.list();
  }

  // Users, and agents (sync:baseline) that need the checks they run.
  @Roles('ADMIN', 'USER')
  @Scopes('sync:baseline')
  @Query(() => BaselineScript)
  baselineScript(@IdArg() id: number) {
    return this.scripts.get(id);
  }

  // Users, and agents (sync:baseline) that need the checks they run.
  @Roles('ADMIN', 'USER')
  @Scopes('sync:baseline')
  @Query(() => [BaselineScriptVersion], { description: "A script's versions, newest first" })
  baselineScriptVersions(@IdArg() id: number) {
    return this.scripts.versions(id);
  }

  // Users, and agents (sync:baseline) that need the checks they run.
  @Roles('ADMIN', 'USER')
  @Scopes('sync:baseline')
  @Query(() => BaselineScriptVersion, { description: 'One version of a script, with its checks as they were' })
  baselineScriptVersion(@IdArg() id: number, @Args('version', { type: () => Int }) version: number) {
    return this.scripts.version(id, version);
  }

  @Roles('ADMIN')
  @Mutation(() => BaselineScript, { description: 'Adds a script (version 1)' })
  createBaselineScript(@Args('input') input: BaselineScriptInput) {
    return this.scripts.create(input);
  }

  @Roles('ADMIN')
  @Mutation(() => BaselineScript, { description: 'Edits a script: writes a new version; results keep the version they were checked against' })
  updateBaselineScript(@IdArg() id: number, @Args('input') input: BaselineScriptInput) {
    return this.scripts.update(id, input);
  }

  @Roles('ADMIN')
  @Mutation(() => Boolean, { description: 'Deletes a script with all its versions; CONFLICT while results use it' })
  deleteBaselineScript(@IdArg() id: number) {
    return this.scripts.delete(id);
  }
}
