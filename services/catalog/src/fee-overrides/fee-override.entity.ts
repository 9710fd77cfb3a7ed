import type { FeeOverride } from '@ticketry/fees';
import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { EntityManager } from 'typeorm';

/** CAT-2: an organizer's agreed service fee in one currency, set by a platform_admin. */
@Entity({ name: 'fee_overrides' })
export class FeeOverrideEntity {
  @PrimaryColumn({ name: 'organization_id', type: 'uuid' }) organizationId!: string;
  @PrimaryColumn({ type: 'text' }) currency!: string;
  @Column({ name: 'percent_bp', type: 'int' }) percentBp!: number;
  @Column({
    name: 'fixed_minor',
    type: 'bigint',
    transformer: { to: (v: number) => v, from: (v: string) => Number(v) },
  })
  fixedMinor!: number;
  @Column({ type: 'text' }) reason!: string;
  @Column({ name: 'set_by', type: 'uuid' }) setBy!: string;
  @Column({ name: 'set_at', type: 'timestamptz' }) setAt!: Date;
}

/**
 * CAT-2: the agreement in force for an organization in a currency, or null (the published schedule
 * applies). Read inside the caller's transaction so a check and the snapshot it publishes agree.
 */
export async function feeOverrideFor(
  manager: EntityManager,
  organizationId: string,
  currency: string,
): Promise<FeeOverride | null> {
  const row = await manager
    .getRepository(FeeOverrideEntity)
    .findOneBy({ organizationId: organizationId.toLowerCase(), currency: currency.toUpperCase() });
  return row ? { percentBp: row.percentBp, fixedMinor: row.fixedMinor } : null;
}
