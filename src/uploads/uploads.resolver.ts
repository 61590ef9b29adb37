import { Args, Mutation, Resolver } from '@nestjs/graphql';
import { CurrentPrincipal } from '../common/auth/decorators.js';
import type { Principal } from '../common/auth/principal.js';
import { CreateUploadCredentialInput } from './inputs/create-upload-credential.input.js';
import { UploadCredential } from './models/upload-credential.model.js';
import { UploadsService } from './uploads.service.js';

@Resolver(() => UploadCredential)
export class UploadsResolver {
  constructor(private readonly service: UploadsService) {}

  @Mutation(() => UploadCredential, {
    description: 'A signed, short-lived credential to upload one image or document straight to object storage (signed-in users)',
  })
  createUploadCredential(@CurrentPrincipal() p: Principal, @Args('input') input: CreateUploadCredentialInput) {
    return this.service.createCredential(p, input);
  }
}
