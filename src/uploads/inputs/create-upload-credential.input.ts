import { Field, InputType, Int, registerEnumType } from '@nestjs/graphql';
import { IsIn, IsInt, Max, Min } from 'class-validator';
import { TextField } from '../../common/validation/fields.js';
import { UPLOAD_KINDS, type UploadKind } from '../upload-types.js';

export const UploadKindEnum = Object.fromEntries(UPLOAD_KINDS.map((k) => [k, k])) as Record<UploadKind, UploadKind>;
registerEnumType(UploadKindEnum, {
  name: 'UploadKind',
  description: 'IMAGE: jpg, jpeg, png, gif, webp. DOCUMENT: pdf, doc(x), xls(x), ppt(x), txt, csv.',
});

@InputType()
export class CreateUploadCredentialInput {
  @Field(() => UploadKindEnum)
  @IsIn(UPLOAD_KINDS)
  kind: UploadKind;

  @TextField(255, { description: "The file's name; only its extension is used (it decides the Content-Type)" })
  filename: string;

  @Field(() => Int, { description: 'Size of the file in bytes' })
  @IsInt()
  @Min(1)
  @Max(2_147_483_647)
  size: number;
}
