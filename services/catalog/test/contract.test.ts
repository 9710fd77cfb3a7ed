/**
 * api.md is binding: every catalog endpoint it names exists and is described at /docs-json, and the
 * event-creation body carries the named fields.
 */
import { serviceUnderTest } from '@ticketry/testing';
import { catalogService } from '../src/service';

const catalog = serviceUnderTest(catalogService);

const API_MD_CATALOG = [
  'post /v1/events',
  'post /v1/events/{id}/ticket-types',
  'patch /v1/events/{id}/ticket-types/{id}',
  'post /v1/events/{id}/publish',
  'patch /v1/events/{id}',
  'post /v1/events/{id}/cancel',
  'get /v1/events',
  'get /v1/events/{id}',
  'get /v1/fees',
];

interface OpenApiDocument {
  paths: Record<
    string,
    Record<string, { requestBody?: { content: Record<string, { schema: { $ref: string } }> } }>
  >;
  components: { schemas: Record<string, { properties: Record<string, unknown> }> };
}

it('describes every catalog endpoint of api.md, with the named event fields', async () => {
  const document = (await (await fetch(`${catalog.url}/docs-json`)).json()) as OpenApiDocument;
  const described = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map((method) => `${method} ${path.replace(/\{[^}]+\}/g, '{id}')}`),
  );
  expect(API_MD_CATALOG.filter((endpoint) => !described.includes(endpoint))).toEqual([]);

  const ref = document.paths['/v1/events'].post.requestBody!.content['application/json'].schema.$ref;
  const fields = Object.keys(document.components.schemas[ref.split('/').pop()!].properties);
  expect(fields).toEqual(
    expect.arrayContaining([
      'organizationId',
      'title',
      'description',
      'category',
      'country',
      'currency',
      'venue',
      'startsAt',
      'endsAt',
      'feeMode',
      'refundPolicy',
      'transfersAllowed',
      'advertisingEnabled',
      'eInvoiceEnabled',
    ]),
  );

  // GET /v1/events/{id}: `ticketTypes: [{ ticketTypeId, name, kind, priceMinor, currency, available }]`,
  // `refundPolicy`, `status`.
  const event = document.components.schemas.EventResponse;
  expect(Object.keys(event.properties)).toEqual(
    expect.arrayContaining(['ticketTypes', 'refundPolicy', 'status']),
  );
  expect(Object.keys(document.components.schemas.TicketTypeResponse.properties)).toEqual(
    expect.arrayContaining(['ticketTypeId', 'name', 'kind', 'priceMinor', 'currency', 'available']),
  );
});
