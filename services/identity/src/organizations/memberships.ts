import type { OrgMembership } from '@ticketry/auth';
import type { EntityManager } from 'typeorm';
import { OrganizationMemberEntity } from './organization.entity';
import { isOrganizationRole } from './organizations';

/**
 * The identity's memberships as access tokens carry them (`orgs: [{ id, role }]`), in one query.
 * Read at every login and refresh, so a refreshed token carries the current memberships.
 */
export async function membershipsOf(manager: EntityManager, identityId: string): Promise<OrgMembership[]> {
  const rows = await manager.getRepository(OrganizationMemberEntity).find({
    select: { organizationId: true, role: true },
    where: { identityId },
    order: { createdAt: 'ASC', organizationId: 'ASC' },
  });
  return rows.flatMap((row) =>
    isOrganizationRole(row.role) ? [{ id: row.organizationId, role: row.role }] : [],
  );
}
