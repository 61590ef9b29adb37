import { InputType } from '@nestjs/graphql';
import { IdField, TextField } from '../../common/validation/fields.js';

@InputType()
export class CreateOrganizationInput {
  @TextField(100) name: string;
}

@InputType()
export class RenameOrganizationInput extends CreateOrganizationInput {
  @IdField() id: number;
}
