/**
 * api.md is binding: every identity endpoint it names must exist and be described at /docs-json.
 */
import { serviceUnderTest, uniqueEmail, uniqueSwedishMobile } from '@ticketry/testing';
import { identityService } from '../src/service';

const identity = serviceUnderTest(identityService);

// Straight from the identity table of ../shared/docs/api.md ({id} and {market} as OpenAPI writes them).
const API_MD_IDENTITY = [
  'post /v1/accounts',
  'post /v1/auth/login',
  'post /v1/auth/refresh',
  'post /v1/auth/logout',
  'post /v1/oauth/token',
  'post /v1/phone/verifications',
  'post /v1/phone/verifications/check',
  'post /v1/auth/step-up',
  'get /v1/me',
  'patch /v1/me',
  'put /v1/me/email',
  'put /v1/me/markets/{market}/addresses',
  'post /v1/me/markets/{market}/link',
  'post /v1/me/link-refusal',
  'post /v1/password/forgot',
  'post /v1/password/reset',
  'delete /v1/me',
  'post /v1/organizations',
  'post /v1/organizations/{id}/members',
  'post /v1/organizations/{id}/api-clients',
  'post /v1/admin/legacy-accounts',
  'put /v1/support/identities/{id}/email',
  'get /v1/dev/messages',
  'get /.well-known/jwks.json',
];

it('describes every identity endpoint of api.md in its OpenAPI document', async () => {
  const document = (await (await fetch(`${identity.url}/docs-json`)).json()) as {
    paths: Record<string, Record<string, unknown>>;
  };
  const described = Object.entries(document.paths).flatMap(([path, operations]) =>
    Object.keys(operations).map(
      (method) => `${method} ${path.replace(/\{[^}]+\}/g, (p) => (p === '{market}' ? p : '{id}'))}`,
    ),
  );
  const missing = API_MD_IDENTITY.filter((endpoint) => !described.includes(endpoint));
  expect(missing).toEqual([]);
});

it('refuses a registration under 17 without a guardian’s permission (CON-9)', async () => {
  const body = {
    email: uniqueEmail('minor'),
    password: 'a-long-enough-passphrase',
    market: 'se',
    firstName: 'Unga',
    lastName: 'Ung',
    phone: uniqueSwedishMobile(),
    dateOfBirth: `${new Date().getUTCFullYear() - 15}-01-01`,
  };
  const post = (payload: object) =>
    fetch(`${identity.url}/v1/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(payload),
    });
  const refused = await post(body);
  expect(refused.status).toBe(422);
  expect(await refused.json()).toMatchObject({ code: 'guardian_consent_required' });
  expect((await post({ ...body, guardianConsent: true })).status).toBe(201);
});
