import type { OrgRole } from '@ticketry/auth';
import { Column, Entity, PrimaryColumn } from 'typeorm';

/** An organizer: the party that sells tickets and is responsible for its members (ID-16). */
@Entity({ name: 'organizations' })
export class OrganizationEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text' })
  name!: string;

  /** ISO 3166-1 alpha-2, upper case. */
  @Column({ type: 'text' })
  country!: string;

  @Column({ name: 'legal_name', type: 'text', nullable: true })
  legalName!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}

/** ID-16: an identity's role in an organization; one role per member. */
@Entity({ name: 'organization_members' })
export class OrganizationMemberEntity {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid' })
  organizationId!: string;

  @PrimaryColumn({ name: 'identity_id', type: 'uuid' })
  identityId!: string;

  @Column({ type: 'text' })
  role!: OrgRole;

  /** The member who added this one; null for the founding owner. */
  @Column({ name: 'added_by', type: 'uuid', nullable: true })
  addedBy!: string | null;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
