import { Column, CreateDateColumn, Entity, PrimaryGeneratedColumn } from 'typeorm';
import type { Channel } from './message';

/**
 * A message the dev outbox recorded instead of sending. Lives in the schema of the service that
 * sent it (no schema here: TypeORM takes the DataSource's), created by DevMessagesMigration.
 */
@Entity({ name: 'dev_messages' })
export class DevMessageEntity {
  @PrimaryGeneratedColumn('uuid')
  id!: string;

  @Column({ type: 'text' })
  channel!: Channel;

  @Column({ name: 'to_address', type: 'text' })
  toAddress!: string;

  @Column({ type: 'text', nullable: true })
  subject!: string | null;

  @Column({ type: 'text' })
  body!: string;

  @Column({ type: 'text' })
  template!: string;

  @Column({ type: 'jsonb' })
  data!: Record<string, string>;

  @Column({ name: 'idempotency_key', type: 'text', unique: true })
  idempotencyKey!: string;

  @CreateDateColumn({ name: 'created_at', type: 'timestamptz' })
  createdAt!: Date;
}
