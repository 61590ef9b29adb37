import { Injectable } from '@nestjs/common';
import { assertOrgAccess, orgScope } from '../common/auth/scope.js';
import type { Principal, UserPrincipal } from '../common/auth/principal.js';
import { hashPassword } from '../common/auth/password-hasher.js';
import { SessionsService } from '../common/auth/sessions.service.js';
import { forbidden, notFound } from '../common/errors/domain-error.js';
import { containsText } from '../common/text/like.js';
import type { Prisma } from '../generated/prisma/client.js';
import { afterIdDesc, toConnection, type PageArgs } from '../graphql/pagination.js';
import { PrismaService } from '../prisma/prisma.service.js';
import type { CreateUserInput, UpdateProfileInput, UpdateUserInput, UserFilter } from './inputs/user.inputs.js';
import { toUser } from './models/user.model.js';

/** User accounts: administrators manage everyone; a user reads colleagues and edits their own profile. */
@Injectable()
export class UsersService {
  constructor(
    private readonly prisma: PrismaService,
    private readonly sessions: SessionsService,
  ) {}

  async list(principal: Principal, filter: UserFilter = {}, page: PageArgs) {
    const text = filter.text?.trim();
    const where: Prisma.UserWhereInput = {
      ...(filter.organizationId !== undefined ? { organizationId: filter.organizationId } : {}),
      ...orgScope(principal), // after the filter: it always wins
      ...(filter.role ? { role: filter.role } : {}),
      ...(filter.disabled !== undefined ? { disabled: filter.disabled } : {}),
      ...(text
        ? {
            OR: ['username', 'displayName', 'email', 'phone'].map((f) => ({ [f]: containsText(text) })),
          }
        : {}),
    };
    const [rows, total] = await Promise.all([
      this.prisma.user.findMany({ where: { ...where, ...afterIdDesc(page.after) }, orderBy: { id: 'desc' }, take: page.first + 1 }),
      this.prisma.user.count({ where }),
    ]);
    return toConnection(rows.map(toUser), page.first, total, (u) => [u.id]);
  }

  /** One user: administrators any, others themselves and users of their own organisation. */
  async get(principal: Principal, id: number) {
    const row = await this.prisma.user.findUnique({ where: { id } });
    if (!row) throw notFound('User', id);
    if (!(principal.kind === 'user' && principal.id === id)) assertOrgAccess(principal, row.organizationId, 'User', id);
    return toUser(row);
  }

  async create(input: CreateUserInput) {
    if (input.organizationId !== undefined) await this.assertOrgExists(input.organizationId);
    const row = await this.prisma.user.create({
      data: {
        username: input.username,
        passwordHash: await hashPassword(input.password),
        passwordChangedAt: new Date(),
        role: input.role,
        organizationId: input.organizationId ?? null,
        displayName: input.displayName ?? null,
        email: input.email ?? null,
        phone: input.phone ?? null,
      },
    });
    return toUser(row);
  }

  /** Role, organisation, disabled flag, display name. Disabling ends the user's sessions. */
  async update(admin: UserPrincipal, input: UpdateUserInput) {
    await this.get(admin, input.id);
    if (input.id === admin.id && (input.disabled === true || (input.role && input.role !== admin.role))) {
      throw forbidden('You cannot disable yourself or change your own role');
    }
    if (typeof input.organizationId === 'number') await this.assertOrgExists(input.organizationId);
    const row = await this.prisma.user.update({
      where: { id: input.id },
      data: {
        ...(input.role ? { role: input.role } : {}),
        ...(input.organizationId !== undefined ? { organizationId: input.organizationId } : {}),
        ...(input.disabled !== undefined ? { disabled: input.disabled } : {}),
        ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
      },
    });
    if (input.disabled) await this.sessions.revokeAllForUser(row.id);
    return toUser(row);
  }

  /** Sets a new password and ends all of the user's sessions. */
  async resetPassword(admin: UserPrincipal, id: number, newPassword: string) {
    await this.get(admin, id);
    const row = await this.prisma.user.update({
      where: { id },
      data: { passwordHash: await hashPassword(newPassword), passwordChangedAt: new Date() },
    });
    await this.sessions.revokeAllForUser(id);
    return toUser(row);
  }

  /** Your own account (whatever your organisation, even none). */
  async me(principal: UserPrincipal) {
    return toUser(await this.prisma.user.findUniqueOrThrow({ where: { id: principal.id } }));
  }

  async updateProfile(principal: UserPrincipal, input: UpdateProfileInput) {
    const row = await this.prisma.user.update({
      where: { id: principal.id },
      data: {
        ...(input.displayName !== undefined ? { displayName: input.displayName } : {}),
        ...(input.email !== undefined ? { email: input.email } : {}),
        ...(input.phone !== undefined ? { phone: input.phone } : {}),
      },
    });
    return toUser(row);
  }

  private async assertOrgExists(id: number) {
    if (!(await this.prisma.organization.count({ where: { id } }))) throw notFound('Organization', id);
  }
}
