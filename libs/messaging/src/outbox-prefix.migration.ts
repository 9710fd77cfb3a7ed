import { schemaOf } from '@ticketry/platform';
import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Each outbox row remembers the topic prefix of the instance that wrote it, and a relay sends only
 * its own prefix's rows. Production has one prefix (''); test runs share a schema between service
 * instances on different prefixes, and an instance must not send another's events to its topics.
 */
export class OutboxTopicPrefix1765100000000 implements MigrationInterface {
  name = 'OutboxTopicPrefix1765100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`ALTER TABLE "${s}".outbox ADD COLUMN topic_prefix text NOT NULL DEFAULT ''`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    const s = schemaOf(queryRunner);
    await queryRunner.query(`ALTER TABLE "${s}".outbox DROP COLUMN topic_prefix`);
  }
}
