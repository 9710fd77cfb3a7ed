import { randomBytes, randomUUID } from 'node:crypto';
import { ValidationPipe, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { TypeOrmModule } from '@nestjs/typeorm';
import { Client } from 'pg';
import request from 'supertest';
import { DataSource, type DataSourceOptions } from 'typeorm';
import {
  DevOutboxTransport,
  NOTIFICATIONS_ENTITIES,
  NOTIFICATIONS_MIGRATIONS,
  NotificationSender,
  NotificationsModule,
  type OutgoingMessage,
} from '../src';

type DevMessagesBody = { items: Array<Record<string, unknown>> };

const DATABASE_URL =
  process.env.TEST_DATABASE_URL ?? process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const schema = `notif_test_${randomBytes(6).toString('hex')}`;

const dataSourceOptions: DataSourceOptions = {
  type: 'postgres',
  url: DATABASE_URL,
  schema,
  entities: NOTIFICATIONS_ENTITIES,
  migrations: NOTIFICATIONS_MIGRATIONS,
  migrationsTableName: 'migrations',
  synchronize: false,
  logging: ['error'],
};

function anSms(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    channel: 'sms',
    to: `+4670${Math.floor(1_000_000 + Math.random() * 8_999_999)}`,
    body: 'Your Ticketry verification code is 123456.',
    template: 'phone_verification_code',
    data: { code: '123456' },
    idempotencyKey: randomUUID(),
    ...overrides,
  };
}

describe('DevOutboxTransport against Postgres', () => {
  let admin: Client;
  let dataSource: DataSource;
  let outbox: DevOutboxTransport;

  const rowsFor = async (to: string): Promise<number> => {
    const result = await admin.query<{ n: string }>(
      `SELECT count(*) AS n FROM "${schema}".dev_messages WHERE to_address = $1`,
      [to],
    );
    return Number(result.rows[0].n);
  };

  beforeAll(async () => {
    admin = new Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${schema}"`);
    dataSource = await new DataSource(dataSourceOptions).initialize();
    await dataSource.runMigrations({ transaction: 'each' });
    outbox = new DevOutboxTransport(dataSource);
  });

  afterAll(async () => {
    await dataSource?.destroy();
    await admin?.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await admin?.end();
  });

  it('creates dev_messages in the DataSource schema, not in public', async () => {
    const tables = await admin.query<{ table_schema: string }>(
      `SELECT table_schema FROM information_schema.tables WHERE table_name = 'dev_messages' AND table_schema IN ($1, 'public')`,
      [schema],
    );
    expect(tables.rows.map((r) => r.table_schema)).toEqual([schema]);
  });

  it('records a message once however often the same idempotency key is sent', async () => {
    const message = anSms();

    const first = await outbox.send(message);
    const second = await outbox.send({ ...message, body: 'a retry with other text' });

    expect(first.transport).toBe('outbox');
    expect(second.providerMessageId).toBe(first.providerMessageId);
    expect(await rowsFor(message.to)).toBe(1);
    const [stored] = await outbox.list({ to: message.to });
    expect(stored).toMatchObject({
      channel: 'sms',
      body: message.body,
      data: { code: '123456' },
      subject: null,
    });
  });

  it("writes through the caller's transaction: a rollback leaves no message", async () => {
    const message = anSms();

    await expect(
      dataSource.transaction(async (manager) => {
        await outbox.send(message, { manager });
        expect(
          await manager.query(
            `SELECT count(*)::int AS n FROM "${schema}".dev_messages WHERE to_address = $1`,
            [message.to],
          ),
        ).toEqual([{ n: 1 }]);
        throw new Error('the use case failed after sending');
      }),
    ).rejects.toThrow('the use case failed after sending');

    expect(await rowsFor(message.to)).toBe(0);
  });

  it('keeps a message sent in a committed transaction', async () => {
    const message = anSms();

    await dataSource.transaction((manager) => outbox.send(message, { manager }));

    expect(await rowsFor(message.to)).toBe(1);
  });

  it('lists newest first, finds e-mail case-insensitively and phone numbers whose + was lost in the query string', async () => {
    const email = `Ada.${randomUUID()}@Example.com`;
    const phone = anSms().to;
    await dataSource.transaction(async (manager) => {
      await outbox.send({ ...anSms({ channel: 'email', to: email, subject: 'first' }) }, { manager });
      await outbox.send({ ...anSms({ channel: 'email', to: email, subject: 'second' }) }, { manager });
    });
    await outbox.send(anSms({ to: phone }));

    const emails = await outbox.list({ to: email.toLowerCase() });
    expect(emails.map((m) => m.subject)).toEqual(['second', 'first']);
    expect(await outbox.list({ to: ` ${phone.slice(1)}` })).toHaveLength(1);
  });
});

describe('GET /v1/dev/messages through a Nest app', () => {
  let app: INestApplication;
  let admin: Client;
  const appSchema = `${schema}_app`;

  beforeAll(async () => {
    admin = new Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`CREATE SCHEMA "${appSchema}"`);
    const moduleRef = await Test.createTestingModule({
      imports: [
        TypeOrmModule.forRoot({ ...dataSourceOptions, schema: appSchema, migrationsRun: true }),
        NotificationsModule.forRoot({ env: { NODE_ENV: 'test', MESSAGE_TRANSPORT: 'outbox' } }),
      ],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useGlobalPipes(new ValidationPipe({ whitelist: true, forbidNonWhitelisted: true, transform: true }));
    await app.init();
  });

  afterAll(async () => {
    await app?.close();
    await admin?.query(`DROP SCHEMA IF EXISTS "${appSchema}" CASCADE`);
    await admin?.end();
  });

  it('shows what NotificationSender recorded, in the contract shape, newest first', async () => {
    const sender = app.get(NotificationSender);
    const phone = anSms().to;
    await sender.deliver({
      channel: 'sms',
      to: phone,
      template: 'phone_verification_code',
      data: { code: '111111' },
      idempotencyKey: randomUUID(),
    });
    await sender.deliver({
      channel: 'voice',
      to: phone,
      template: 'phone_verification_code',
      data: { code: '222222' },
      idempotencyKey: randomUUID(),
    });

    const response = await request(app.getHttpServer())
      .get('/v1/dev/messages')
      .query({ to: phone })
      .expect(200);
    const { items } = response.body as DevMessagesBody;

    expect(items).toHaveLength(2);
    const [voice, sms] = items;
    expect(Object.keys(voice).sort()).toEqual([
      'body',
      'channel',
      'createdAt',
      'data',
      'id',
      'subject',
      'template',
      'to',
    ]);
    expect(voice).toMatchObject({
      channel: 'voice',
      to: phone,
      subject: null,
      template: 'phone_verification_code',
      data: { code: '222222' },
    });
    expect(voice.body).toContain('2, 2, 2, 2, 2, 2');
    expect(sms).toMatchObject({ channel: 'sms', data: { code: '111111' } });
    expect(new Date(String(voice.createdAt)).toISOString()).toBe(voice.createdAt);
  });

  it('is documented in the OpenAPI document with an optional `to` and the contract fields', () => {
    const document = SwaggerModule.createDocument(app, new DocumentBuilder().setTitle('t').build());

    const operation = document.paths['/v1/dev/messages']?.get;
    expect(operation?.parameters).toEqual(
      expect.arrayContaining([expect.objectContaining({ name: 'to', in: 'query', required: false })]),
    );
    const message = document.components?.schemas?.DevMessageDto as {
      properties: Record<string, unknown>;
      required: string[];
    };
    expect(Object.keys(message.properties).sort()).toEqual([
      'body',
      'channel',
      'createdAt',
      'data',
      'id',
      'subject',
      'template',
      'to',
    ]);
  });

  it('without `to` answers the latest messages to anyone, and rejects a bad limit', async () => {
    const email = `grace.${randomUUID()}@example.com`;
    await app.get(NotificationSender).deliver({
      channel: 'email',
      to: email,
      template: 'account_welcome',
      data: { firstName: 'Grace' },
      idempotencyKey: randomUUID(),
    });

    const latest = (await request(app.getHttpServer()).get('/v1/dev/messages').expect(200))
      .body as DevMessagesBody;
    expect(latest.items[0]).toMatchObject({ to: email, subject: 'Welcome to Ticketry' });
    const one = (await request(app.getHttpServer()).get('/v1/dev/messages?limit=1').expect(200))
      .body as DevMessagesBody;
    expect(one.items).toHaveLength(1);
    await request(app.getHttpServer()).get('/v1/dev/messages?limit=0').expect(400);
  });
});

describe('GET /v1/dev/messages with MESSAGE_TRANSPORT=provider', () => {
  it('does not exist', async () => {
    const moduleRef = await Test.createTestingModule({
      imports: [
        NotificationsModule.forRoot({
          env: {
            NODE_ENV: 'development',
            MESSAGE_TRANSPORT: 'provider',
            SES_REGION: 'eu-north-1',
            SES_FROM: 'no-reply@ticketry.test',
            TWILIO_ACCOUNT_SID: 'AC0123456789abcdef0123456789abcdef',
            TWILIO_AUTH_TOKEN: 'token',
            TWILIO_FROM: '+46766860000',
          },
        }),
      ],
    }).compile();
    const app = moduleRef.createNestApplication({ logger: false });
    await app.init();

    await request(app.getHttpServer()).get('/v1/dev/messages').expect(404);
    await app.close();
  });
});
