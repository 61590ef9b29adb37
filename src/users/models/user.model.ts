import { Field, ID, ObjectType, registerEnumType } from '@nestjs/graphql';
import { Role } from '../../generated/prisma/enums.js';
import { Organization } from '../../organizations/models/organization.model.js';
import { Paginated } from '../../graphql/pagination.js';

registerEnumType(Role, { name: 'Role', description: 'ADMIN: everything; USER: own organisation only' });

@ObjectType()
export class User {
  @Field(() => ID) id: number;
  @Field() username: string;
  @Field(() => String, { nullable: true }) displayName: string | null;
  @Field(() => String, { nullable: true }) email: string | null;
  @Field(() => String, { nullable: true }) phone: string | null;
  @Field(() => Role) role: Role;
  @Field(() => ID, { nullable: true }) organizationId: number | null;
  @Field(() => Organization, { nullable: true }) organization?: Organization | null;
  @Field() disabled: boolean;
  @Field({ description: 'Signed up through partner single sign-on' }) sso: boolean;
  @Field({ description: 'Can sign in with a password' }) hasPassword: boolean;
  @Field(() => Date, { nullable: true }) lastLoginAt: Date | null;
  @Field(() => Date, { nullable: true }) passwordChangedAt: Date | null;
  @Field() createdAt: Date;
}

@ObjectType()
export class UserConnection extends Paginated(User) {}

/** The GraphQL view of a user row (never the password hash or external id). */
export function toUser(row: {
  id: number;
  username: string;
  displayName: string | null;
  email: string | null;
  phone: string | null;
  role: Role;
  organizationId: number | null;
  disabled: boolean;
  externalId: string | null;
  passwordHash: string | null;
  lastLoginAt: Date | null;
  passwordChangedAt: Date | null;
  createdAt: Date;
}): User {
  return {
    id: row.id,
    username: row.username,
    displayName: row.displayName,
    email: row.email,
    phone: row.phone,
    role: row.role,
    organizationId: row.organizationId,
    disabled: row.disabled,
    sso: row.externalId !== null,
    hasPassword: row.passwordHash !== null,
    lastLoginAt: row.lastLoginAt,
    passwordChangedAt: row.passwordChangedAt,
    createdAt: row.createdAt,
  };
}
