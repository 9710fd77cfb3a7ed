import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { OtpPurpose } from './otp';

/** A sent one-time code (hashed), its wrong attempts and whether it was used (ID-9, ID-11). */
@Entity({ name: 'otp_challenges' })
export class OtpChallengeEntity {
  @PrimaryColumn({ type: 'uuid' })
  id!: string;

  @Column({ name: 'identity_id', type: 'uuid' })
  identityId!: string;

  @Column({ type: 'text' })
  phone!: string;

  @Column({ type: 'text' })
  purpose!: OtpPurpose;

  @Column({ name: 'code_hash', type: 'text' })
  codeHash!: string;

  @Column({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;

  @Column({ name: 'expires_at', type: 'timestamptz' })
  expiresAt!: Date;

  @Column({ type: 'int' })
  attempts!: number;

  @Column({ name: 'consumed_at', type: 'timestamptz', nullable: true })
  consumedAt!: Date | null;
}
