import { Field, Int, ObjectType, registerEnumType } from '@nestjs/graphql';

export enum UploadProvider {
  QINIU = 'QINIU',
  S3 = 'S3',
}
registerEnumType(UploadProvider, { name: 'UploadProvider' });

@ObjectType()
export class UploadFormField {
  @Field() name: string;
  @Field() value: string;
}

@ObjectType({
  description:
    'A short-lived signed upload. Send a multipart/form-data POST to `url` with every entry of `fields` in order, then the ' +
    'file as `fileField` (same for both providers). The storage refuses other keys, types, sizes above maxSize, and late uploads.',
})
export class UploadCredential {
  @Field(() => UploadProvider) provider: UploadProvider;
  @Field({ description: 'Always POST' }) method: string;
  @Field() url: string;
  @Field({ description: 'Object key the file will be stored under' }) key: string;
  @Field(() => [UploadFormField]) fields: UploadFormField[];
  @Field({ description: 'Name of the form field carrying the file' }) fileField: string;
  @Field(() => String, { nullable: true, description: 'The Qiniu upload token (also among fields); null for S3' }) token: string | null;
  @Field({ description: 'Content-Type the file must be sent with' }) contentType: string;
  @Field(() => Int, { description: 'Largest accepted size, in bytes' }) maxSize: number;
  @Field() expiresAt: Date;
}
