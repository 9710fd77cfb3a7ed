import { Column, CreateDateColumn, Entity, PrimaryColumn, UpdateDateColumn } from 'typeorm';

/** ID-1: the global identity, one per normalised e-mail; holds the password and verified phone. */
@Entity({ name: 'identities' })
export class IdentityEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ type: 'text', unique: true })
  email!: string;

  @Column({ name: 'password_hash', type: 'text', nullable: true })
  passwordHash!: string | null;

  @Column({ name: 'first_name', type: 'text' })
  firstName!: string;

  @Column({ name: 'last_name', type: 'text' })
  lastName!: string;

  @Column({ type: 'text', nullable: true })
  phone!: string | null;

  @Column({ name: 'phone_verified_at', type: 'timestamptz', nullable: true })
  phoneVerifiedAt!: Date | null;

  @Column({ type: 'text', nullable: true })
  language!: string | null;

  @Column({ type: 'text', nullable: true })
  country!: string | null;

  @Column({ name: 'postal_code', type: 'text', nullable: true })
  postalCode!: string | null;

  @Column({ name: 'date_of_birth', type: 'date', nullable: true })
  dateOfBirth!: string | null;

  @Column({ name: 'public_profile', type: 'boolean', default: true })
  publicProfile!: boolean;

  /** ID-2: set on identities linked from legacy market accounts until they choose one new password. */
  @Column({ name: 'must_reset_password', type: 'boolean', default: false })
  mustResetPassword!: boolean;

  /** CON-9: for a consumer under 17, a guardian has given permission. */
  @Column({ name: 'guardian_consent', type: 'boolean', nullable: true })
  guardianConsent!: boolean | null;

  /** `support` and `platform_admin`; every identity is a `consumer` as well. */
  @Column({ name: 'platform_roles', type: 'text', array: true, default: () => "'{}'" })
  platformRoles!: string[];

  /** ID-17, CON-6: set when the account was deleted; the row stays, anonymised (see erasure/). */
  @Column({ name: 'erased_at', type: 'timestamptz', nullable: true })
  erasedAt!: Date | null;

  @Column({ name: 'erasure_id', type: 'uuid', nullable: true })
  erasureId!: string | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @UpdateDateColumn({ name: 'updated_at', type: 'timestamptz' })
  updatedAt!: Date;
}

/** ID-1: one account per market the consumer uses, linked to the identity. */
@Entity({ name: 'market_accounts' })
export class MarketAccountEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'identity_id', type: 'uuid' })
  identityId!: string;

  @Column({ type: 'text' })
  market!: string;

  @Column({ name: 'link_status', type: 'text' })
  linkStatus!: 'linked' | 'refused';

  /** ID-7: addresses belong to the market account, never merged into the global profile. */
  @Column({ name: 'billing_address', type: 'jsonb', nullable: true })
  billingAddress!: Record<string, string> | null;

  @Column({ name: 'delivery_address', type: 'jsonb', nullable: true })
  deliveryAddress!: Record<string, string> | null;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
