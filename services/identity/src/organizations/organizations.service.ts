import { randomBytes, randomUUID } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import type { OrgRole } from '@ticketry/auth';
import {
  CLOCK,
  Clock,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  ValidationFailedError,
} from '@ticketry/platform';
import * as argon2 from 'argon2';
import { DataSource, EntityManager, QueryFailedError } from 'typeorm';
import { ARGON2_OPTIONS } from '../accounts/accounts.service';
import { IdentityEntity } from '../accounts/identity.entity';
import { normalizeEmail } from '../accounts/registration';
import { ApiClientEntity } from './api-client.entity';
import { OrganizationEntity, OrganizationMemberEntity } from './organization.entity';
import {
  AddMemberDto,
  CreateApiClientDto,
  CreatedApiClientDto,
  CreatedOrganizationDto,
  CreateOrganizationDto,
  MemberAddedDto,
  MemberPageDto,
} from './organizations.dto';
import { decodeMemberCursor, DEFAULT_PAGE_SIZE, encodeMemberCursor } from './organizations';

function isUniqueViolation(error: unknown): boolean {
  return error instanceof QueryFailedError && (error.driverError as { code?: string }).code === '23505';
}

function alreadyMember(): ConflictError {
  return new ConflictError('already_member', 'This identity is already a member of the organization.');
}

@Injectable()
export class OrganizationsService {
  constructor(
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  /** The caller founds the organization and becomes its first owner (ID-16: the responsible organizer). */
  async create(identityId: string, input: CreateOrganizationDto): Promise<CreatedOrganizationDto> {
    const organizationId = randomUUID();
    const now = this.clock.now();
    await this.dataSource.transaction(async (manager) => {
      await manager.getRepository(OrganizationEntity).insert({
        id: organizationId,
        name: input.name,
        country: input.country,
        legalName: input.legalName ?? null,
        createdAt: now,
      });
      await manager.getRepository(OrganizationMemberEntity).insert({
        organizationId,
        identityId,
        role: 'owner',
        addedBy: null,
        createdAt: now,
      });
    });
    return { organizationId };
  }

  /** ID-16: an owner adds a sub-user, an existing identity, with one role. */
  async addMember(organizationId: string, actorId: string, input: AddMemberDto): Promise<MemberAddedDto> {
    const email = normalizeEmail(input.email);
    try {
      return await this.dataSource.transaction(async (manager) => {
        await this.requireCurrentRole(manager, organizationId, actorId, ['owner']);
        const identity = await manager.getRepository(IdentityEntity).findOneBy({ email });
        if (!identity) throw new NotFoundError('No identity with this e-mail', 'identity_not_found');
        const existing = await manager
          .getRepository(OrganizationMemberEntity)
          .findOneBy({ organizationId, identityId: identity.id });
        if (existing) throw alreadyMember();
        await manager.getRepository(OrganizationMemberEntity).insert({
          organizationId,
          identityId: identity.id,
          role: input.role,
          addedBy: actorId,
          createdAt: this.clock.now(),
        });
        return { organizationId, identityId: identity.id, role: input.role };
      });
    } catch (error) {
      // The same member added twice at the same moment: the primary key decides, same answer.
      if (isUniqueViolation(error)) throw alreadyMember();
      throw error;
    }
  }

  async listMembers(organizationId: string, limit?: number, cursor?: string): Promise<MemberPageDto> {
    const pageSize = limit ?? DEFAULT_PAGE_SIZE;
    const after = cursor === undefined ? undefined : decodeMemberCursor(cursor);
    if (cursor !== undefined && after === undefined) {
      throw new ValidationFailedError([{ field: 'cursor', message: 'cursor is not one this API returned' }]);
    }
    const query = this.dataSource
      .getRepository(OrganizationMemberEntity)
      .createQueryBuilder('m')
      .innerJoin(IdentityEntity, 'i', 'i.id = m.identity_id')
      .select([
        'm.identity_id AS "identityId"',
        'i.email AS email',
        'm.role AS role',
        'm.created_at AS "createdAt"',
      ])
      .where('m.organization_id = :organizationId', { organizationId })
      .orderBy('m.created_at', 'ASC')
      .addOrderBy('m.identity_id', 'ASC')
      .limit(pageSize + 1);
    if (after) {
      query.andWhere('(m.created_at, m.identity_id) > (:at, :id)', {
        at: after.createdAt,
        id: after.identityId,
      });
    }
    const rows = await query.getRawMany<{
      identityId: string;
      email: string;
      role: OrgRole;
      createdAt: Date;
    }>();
    const page = rows.slice(0, pageSize);
    const last = page[page.length - 1];
    return {
      items: page.map(({ identityId, email, role }) => ({ identityId, email, role })),
      nextCursor:
        rows.length > pageSize && last
          ? encodeMemberCursor({ createdAt: new Date(last.createdAt), identityId: last.identityId })
          : null,
    };
  }

  /** A partner integration for the organization; its secret is returned once and kept only as argon2id. */
  async createApiClient(
    organizationId: string,
    actorId: string,
    input: CreateApiClientDto,
  ): Promise<CreatedApiClientDto> {
    const clientId = randomUUID();
    const clientSecret = randomBytes(32).toString('base64url');
    const secretHash = await argon2.hash(clientSecret, ARGON2_OPTIONS);
    await this.dataSource.transaction(async (manager) => {
      await this.requireCurrentRole(manager, organizationId, actorId, ['owner']);
      await manager.getRepository(ApiClientEntity).insert({
        clientId,
        organizationId,
        name: input.name,
        secretHash,
        scopes: input.scopes,
        createdBy: actorId,
        createdAt: this.clock.now(),
        revokedAt: null,
      });
    });
    return { clientId, clientSecret };
  }

  /**
   * The token's membership may be up to 15 minutes old; changes to the organization itself are
   * checked against the membership as it is now, locked until the transaction ends.
   */
  private async requireCurrentRole(
    manager: EntityManager,
    organizationId: string,
    identityId: string,
    roles: readonly OrgRole[],
  ): Promise<void> {
    const membership = await manager
      .getRepository(OrganizationMemberEntity)
      .findOne({ where: { organizationId, identityId }, lock: { mode: 'pessimistic_read' } });
    if (!membership || !roles.includes(membership.role)) {
      throw new ForbiddenError('organization_forbidden', 'You may not act for this organization.');
    }
  }
}
