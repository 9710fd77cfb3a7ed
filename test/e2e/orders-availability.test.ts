/**
 * CAT-1 `available` on catalog's event page follows the seats orders counts (ORD-2): orders sends
 * EventAvailability on orders.availability.v1 (key = event id) once per AVAILABILITY_INTERVAL_MS for
 * the events whose count moved, and catalog answers capacity minus the last count it heard. Real
 * identity, consent, catalog, orders and billing on Postgres and Kafka.
 */
import { randomUUID } from 'node:crypto';
import { availabilityEvents, fromBinary, timestampDate } from '@ticketry/contracts';
import { physicalTopic } from '@ticketry/messaging';
import { eventually, testKafka, TopicRecorder } from '@ticketry/testing';
import {
  aBuyer,
  CheckoutPlatform,
  clients,
  organizer,
  publishedEvent,
  startCheckoutPlatform,
} from './support/checkout-platform';

const INTERVAL_MS = 1000;

let platform: CheckoutPlatform;
let recorder: TopicRecorder;
const { ord, cat } = clients(() => platform);

beforeAll(async () => {
  platform = await startCheckoutPlatform({ ordersEnv: { AVAILABILITY_INTERVAL_MS: String(INTERVAL_MS) } });
  recorder = new TopicRecorder(testKafka());
  await recorder.start([physicalTopic(platform.prefix, 'orders.availability.v1')]);
});

afterAll(async () => {
  await recorder?.stop();
  await platform?.stop();
});

function buy(eventId: string, ticketTypeId: string, quantity: number, paymentToken = 'tok_visa') {
  return ord(
    'POST',
    '/v1/orders',
    {
      eventId,
      market: 'se',
      items: [{ ticketTypeId, quantity }],
      buyer: aBuyer(),
      paymentMethod: 'card',
      paymentToken,
    },
    undefined,
    { 'idempotency-key': randomUUID() },
  );
}

/** What the public event page (GET /v1/events/{id}, no token) says is left, per ticket type id. */
async function catalogAvailable(eventId: string): Promise<Record<string, number>> {
  const page = await cat<{ ticketTypes: { ticketTypeId: string; available: number }[] }>(
    'GET',
    `/v1/events/${eventId}`,
  );
  expect(page.status).toBe(200);
  return Object.fromEntries(page.body.ticketTypes.map((t) => [t.ticketTypeId, t.available]));
}

async function ordersAvailability(eventId: string) {
  const answer = await ord<{
    ticketTypes: { ticketTypeId: string; capacity: number; sold: number; available: number }[];
  }>('GET', `/v1/events/${eventId}/availability`);
  expect(answer.status).toBe(200);
  return Object.fromEntries(answer.body.ticketTypes.map((t) => [t.ticketTypeId, t]));
}

function reportsFor(eventId: string) {
  return recorder.messages
    .filter((m) => m.key === eventId)
    .map((m) => fromBinary(availabilityEvents.EventAvailabilitySchema, m.value!));
}

describe('CAT-1 available reflects ORD-2 sales', () => {
  it('sales lower it, a declined card does not, a raised capacity raises it', async () => {
    const org = await organizer(platform.identity.url);
    const {
      eventId,
      ticketTypeIds: [main, other],
    } = await publishedEvent(platform, org, {}, [
      { name: 'Ståplats', capacity: 10 },
      { name: 'Sittplats', capacity: 5 },
    ]);
    expect(await catalogAvailable(eventId)).toEqual({ [main]: 10, [other]: 5 });

    expect((await buy(eventId, main, 3)).status).toBe(201);
    await eventually(async () => expect(await catalogAvailable(eventId)).toEqual({ [main]: 7, [other]: 5 }));

    // ORD-2: a declined card held its seats only while billing answered, then gave them back.
    const declined = await buy(eventId, main, 2, 'tok_declined');
    expect(declined).toMatchObject({ status: 402, body: { code: 'card_declined' } });
    expect((await ordersAvailability(eventId))[main]).toMatchObject({ capacity: 10, sold: 3, available: 7 });
    // A sale of the other ticket type forces a report counted after the decline; it carries the
    // whole event, so it says what orders counted for the first type then: still 3 sold.
    expect((await buy(eventId, other, 1)).status).toBe(201);
    await eventually(async () => expect(await catalogAvailable(eventId)).toEqual({ [main]: 7, [other]: 4 }));
    const afterDecline = await eventually(() => {
      const report = reportsFor(eventId).find((r) =>
        r.ticketTypes.some((t) => t.ticketTypeId === other && t.sold === 1),
      );
      expect(report).toBeDefined();
      return report!;
    });
    expect(
      Object.fromEntries(afterDecline.ticketTypes.map((t) => [t.ticketTypeId, [t.capacity, t.sold]])),
    ).toEqual({ [main]: [10, 3], [other]: [5, 1] });

    // Capacity is catalog's own: raised, the page shows it at once; orders follows via catalog.event.v1.
    const raised = await cat(
      'PATCH',
      `/v1/events/${eventId}/ticket-types/${main}`,
      { capacity: 15 },
      org.token,
    );
    expect(raised.status).toBe(200);
    expect(await catalogAvailable(eventId)).toEqual({ [main]: 12, [other]: 4 });
    await eventually(async () =>
      expect((await ordersAvailability(eventId))[main]).toMatchObject({
        capacity: 15,
        sold: 3,
        available: 12,
      }),
    );
    expect((await buy(eventId, main, 1)).status).toBe(201);
    await eventually(async () => expect(await catalogAvailable(eventId)).toEqual({ [main]: 11, [other]: 4 }));
  });

  it('20 quick sales make far fewer than 20 messages: at most one per event per interval', async () => {
    const org = await organizer(platform.identity.url);
    const {
      eventId,
      ticketTypeIds: [ticketTypeId],
    } = await publishedEvent(platform, org, {}, [{ capacity: 100 }]);
    // One after another, so the sales are spread over several intervals (all at once, they would
    // take their seats in one burst and prove nothing about the throttle).
    const started = Date.now();
    for (let sale = 0; sale < 20; sale++) expect((await buy(eventId, ticketTypeId, 1)).status).toBe(201);
    const salesMs = Date.now() - started;

    await eventually(async () => expect(await catalogAvailable(eventId)).toEqual({ [ticketTypeId]: 80 }));
    await eventually(() => expect(reportsFor(eventId).at(-1)?.ticketTypes[0]?.sold).toBe(20));
    const reports = reportsFor(eventId);
    // One report per tick that saw the count move: about one per interval the sales spanned, plus
    // the tick after the last sale and one for timer jitter. Publishing per sale would make 20.
    expect(reports.length).toBeLessThanOrEqual(Math.ceil(salesMs / INTERVAL_MS) + 2);
    expect(reports.length).toBeLessThan(20);
    const stamps = reports.map((r) => timestampDate(r.asOf!).getTime());
    expect([...stamps].sort((a, b) => a - b)).toEqual(stamps);
    expect(reports.map((r) => r.ticketTypes.map((t) => t.ticketTypeId))).toEqual(
      reports.map(() => [ticketTypeId]),
    );
  });
});
