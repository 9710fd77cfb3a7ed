/**
 * The money path on one test broker prefix: identity (tokens, service clients, guest accounts),
 * consent (receipts), catalog (events), orders and billing, all real services over HTTP with real
 * Postgres and Kafka. Shared by the checkout, saga and concurrency tests.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '@ticketry/platform';
import {
  apiClient,
  eventually,
  newTopicPrefix,
  RunningService,
  startService,
  uniqueEmail,
} from '@ticketry/testing';
import { anEvent, aTicketType, login } from './actors';
import { billingService } from '../../../services/billing/src/service';
import { catalogService } from '../../../services/catalog/src/service';
import { consentService } from '../../../services/consent/src/service';
import { identityService } from '../../../services/identity/src/service';
import { ordersService } from '../../../services/orders/src/service';

export { aTicketType, anEvent, compliantPolicy, consumer, login, organizer, PASSWORD } from './actors';

export interface CheckoutPlatform {
  prefix: string;
  identity: RunningService;
  consent: RunningService;
  catalog: RunningService;
  orders: RunningService;
  billing: RunningService;
  admin: { email: string; password: string };
  /** Between orders and billing: `down = true` makes billing unreachable for orders. */
  gate: BillingGate;
  /** Stops orders and starts a new instance on the same topics, consumer group and schema. */
  restartOrders(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * A pass-through HTTP hop from orders to the real billing service that a test can close, to play
 * a billing outage or a lost answer without stopping billing (orders keeps one BILLING_URL).
 */
export class BillingGate {
  down = false;
  /** Forward the request but answer 503, as if billing's answer was lost on the way back. */
  loseAnswers = false;
  private readonly server: Server;

  constructor(private readonly target: () => string) {
    this.server = createServer((req, res) => void this.forward(req, res));
  }

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', resolve));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  stop(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }

  private async forward(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (this.down) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const headers: Record<string, string> = {};
    for (const [name, value] of Object.entries(req.headers)) {
      if (typeof value === 'string' && name !== 'host' && name !== 'content-length') headers[name] = value;
    }
    const answer = await fetch(`${this.target()}${req.url ?? '/'}`, {
      method: req.method,
      headers,
      body: chunks.length > 0 ? Buffer.concat(chunks) : undefined,
    });
    const body = Buffer.from(await answer.arrayBuffer());
    if (this.loseAnswers) {
      res.writeHead(503, { 'content-type': 'application/problem+json' }).end('{"code":"lost"}');
      return;
    }
    res
      .writeHead(answer.status, { 'content-type': answer.headers.get('content-type') ?? 'application/json' })
      .end(body);
  }
}

export async function startCheckoutPlatform(
  options: { ordersEnv?: Record<string, string>; clock?: Clock } = {},
) {
  const prefix = newTopicPrefix();
  const ordersSecret = randomBytes(24).toString('hex');
  const admin = {
    email: `admin+${randomUUID().slice(0, 8)}@ticketry.test`,
    password: 'admin-test-passphrase',
  };
  const consent = await startService(consentService, { topicPrefix: prefix });
  const identity = await startService(identityService, {
    topicPrefix: prefix,
    env: {
      SERVICE_CLIENTS: JSON.stringify([{ clientId: 'orders', secret: ordersSecret }]),
      BOOTSTRAP_ADMIN_EMAIL: admin.email,
      BOOTSTRAP_ADMIN_PASSWORD: admin.password,
    },
  });
  const jwks = { JWKS_URL: `${identity.url}/.well-known/jwks.json` };
  const catalog = await startService(catalogService, { topicPrefix: prefix, env: jwks });
  const billing = await startService(billingService, { topicPrefix: prefix, env: jwks });
  const gate = new BillingGate(() => platform.billing.url);
  const gateUrl = await gate.start();
  const platform: CheckoutPlatform = {
    prefix,
    identity,
    consent,
    catalog,
    billing,
    orders: undefined as unknown as RunningService,
    admin,
    gate,
    restartOrders: () => Promise.reject(new Error('orders is not started yet')),
    async stop() {
      for (const service of [platform.orders, platform.billing, catalog, identity, consent]) {
        await service?.stop().catch(() => undefined);
      }
      await gate.stop();
    },
  };
  const startOrders = () =>
    startService(ordersService, {
      topicPrefix: prefix,
      clock: options.clock,
      env: {
        ...jwks,
        IDENTITY_URL: identity.url,
        BILLING_URL: gateUrl,
        SERVICE_CLIENT_SECRET: ordersSecret,
        HOLD_JOB_INTERVAL_MS: '0',
        ...options.ordersEnv,
      },
    });
  platform.orders = await startOrders();
  platform.restartOrders = async () => {
    await platform.orders.stop();
    platform.orders = await startOrders();
  };
  return platform;
}

export function clients(platform: () => CheckoutPlatform) {
  return {
    id: apiClient(() => platform().identity.url),
    cat: apiClient(() => platform().catalog.url),
    ord: apiClient(() => platform().orders.url),
    bill: apiClient(() => platform().billing.url),
  };
}

export async function adminToken(platform: CheckoutPlatform): Promise<string> {
  return login(platform.identity.url, platform.admin.email, platform.admin.password);
}

/**
 * Creates and publishes an event with the given ticket types and waits until orders' read model
 * has it (catalog.event.v1 → orders inbox).
 */
export async function publishedEvent(
  platform: CheckoutPlatform,
  org: { token: string; organizationId: string },
  eventOverrides: Record<string, unknown> = {},
  ticketTypes: Record<string, unknown>[] = [{}],
): Promise<{ eventId: string; ticketTypeIds: string[] }> {
  const { cat, ord } = clients(() => platform);
  const created = await cat('POST', '/v1/events', anEvent(org.organizationId, eventOverrides), org.token);
  if (created.status !== 201) throw new Error(`event: ${created.status} ${JSON.stringify(created.body)}`);
  const eventId = created.body.eventId as string;
  const ticketTypeIds: string[] = [];
  for (const type of ticketTypes) {
    const added = await cat('POST', `/v1/events/${eventId}/ticket-types`, aTicketType(type), org.token);
    if (added.status !== 201) throw new Error(`ticket type: ${added.status} ${JSON.stringify(added.body)}`);
    ticketTypeIds.push(added.body.ticketTypeId as string);
  }
  const published = await cat('POST', `/v1/events/${eventId}/publish`, undefined, org.token);
  if (published.status !== 200)
    throw new Error(`publish: ${published.status} ${JSON.stringify(published.body)}`);
  await eventually(async () => {
    const availability = await ord('GET', `/v1/events/${eventId}/availability`);
    expect(availability.status).toBe(200);
    expect(availability.body.ticketTypes).toHaveLength(ticketTypeIds.length);
  });
  return { eventId, ticketTypeIds };
}

export function aBuyer(email = uniqueEmail('guest')) {
  return { email, firstName: 'Greta', lastName: 'Gäst' };
}

export interface DevMessage {
  to: string;
  subject: string;
  body: string;
  template: string;
  data: Record<string, string>;
}

export async function messagesTo(
  platform: CheckoutPlatform,
  to: string,
  template?: string,
): Promise<DevMessage[]> {
  const response = await fetch(`${platform.consent.url}/v1/dev/messages?to=${encodeURIComponent(to)}`);
  const { items } = (await response.json()) as { items: DevMessage[] };
  return template ? items.filter((m) => m.template === template) : items;
}

export async function seatsSold(platform: CheckoutPlatform, eventId: string): Promise<number[]> {
  const { ord } = clients(() => platform);
  const availability = await ord<{ ticketTypes: { sold: number }[] }>(
    'GET',
    `/v1/events/${eventId}/availability`,
  );
  return availability.body.ticketTypes.map((t) => t.sold);
}
