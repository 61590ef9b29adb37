import { InputType } from '@nestjs/graphql';
import { IdListField } from '../../common/validation/fields.js';

@InputType()
export class PurgeVulnsInput {
  @IdListField(1000, { optional: true, description: 'Trashed finding ids (1-1000); omit to empty the whole trash' })
  ids?: number[];
}
