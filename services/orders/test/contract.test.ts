/**
 * api.md is binding: every orders endpoint it names exists, is described at /docs-json, and the
 * checkout body has the named fields. Also: orders refuses to start without its service secret.
 */
import { loadConfig } from '@ticketry/platform';
import { serviceUnderTest } from '@ticketry/testing';
import { OrdersConfig } from '../src/config';
import { ordersService } from '../src/service';

const orders = serviceUnderTest(ordersService, {
  env: { SERVICE_CLIENT_SECRET: 'contract-test-secret-0123456789', HOLD_JOB_INTERVAL_MS: '0' },
});

const API_MD_ORDERS = [
  'post /v1/orders',
  'get /v1/orders/{id}',
  'get /v1/orders',
  'post /v1/orders/{id}/mark-paid',
  'post /v1/tickets/{id}/transfer',
  'post /v1/check-ins',
];

interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { requestBody?: { content: Record<string, { schema: { $ref: string } }> } }>
  >;
  components: { schemas: Record<string, { properties: Record<string, unknown>; required?: string[] }> };
}

it('describes every orders endpoint of api.md, with the named checkout fields', async () => {
  const document = (await (await fetch(`${orders.url}/docs-json`)).json()) as OpenApiDocument;
  const described = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method} ${path.replace(/\{[^}]+\}/g, '{id}')}`),
  );
  expect(API_MD_ORDERS.filter((endpoint) => !described.includes(endpoint))).toEqual([]);

  const ref = document.paths['/v1/orders'].post.requestBody!.content['application/json'].schema.$ref;
  const schema = document.components.schemas[ref.split('/').pop()!];
  expect(Object.keys(schema.properties)).toEqual(
    expect.arrayContaining([
      'eventId',
      'market',
      'items',
      'buyer',
      'paymentMethod',
      'paymentToken',
      'addOns',
      'source',
      'organizerMarketingOptIn',
    ]),
  );
  expect(schema.required).toEqual(
    expect.arrayContaining(['eventId', 'market', 'items', 'buyer', 'paymentMethod']),
  );
});

it('asks for a token before reading an order, and answers a malformed event id as 404 event_not_found (no 500)', async () => {
  const unauthenticated = await fetch(`${orders.url}/v1/orders/not-a-uuid`);
  expect(unauthenticated.status).toBe(401);
  const availability = await fetch(`${orders.url}/v1/events/not-a-uuid/availability`);
  expect(availability.status).toBe(404);
  expect(((await availability.json()) as { code: string }).code).toBe('event_not_found');
});

it('will not start without the secret it calls billing with', () => {
  expect(() =>
    loadConfig(OrdersConfig, {
      NODE_ENV: 'production',
      PORT: '3003',
      DATABASE_URL: 'postgres://orders@127.0.0.1:5432/ticketry',
      KAFKA_BROKERS: '127.0.0.1:9092',
    }),
  ).toThrow(/SERVICE_CLIENT_SECRET/);
});
