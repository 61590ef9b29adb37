import { Field, ID, ObjectType } from '@nestjs/graphql';
import { User } from '../../users/models/user.model.js';

@ObjectType({ description: 'A session: a short-lived access token and a single-use refresh token' })
export class AuthPayload {
  @Field({ description: 'Send as "Authorization: Bearer <token>"' }) accessToken: string;
  @Field() accessTokenExpiresAt: Date;
  @Field({ description: 'Exchange with refreshToken(); every use returns a new one' }) refreshToken: string;
  @Field() refreshTokenExpiresAt: Date;
  @Field(() => User) user: User;
}

@ObjectType({ description: 'An SVG captcha; answer it with its id within its lifetime, once' })
export class Captcha {
  @Field(() => ID) id: string;
  @Field({ description: 'The image, an SVG document' }) svg: string;
  @Field() expiresAt: Date;
}

@ObjectType()
export class SmsCodeSent {
  @Field({ description: 'When the code stops working' }) expiresAt: Date;
}
