import { grantedScopes, OAuthError, parseServiceClients, parseTokenRequest, secretsEqual } from './oauth';

const basic = (id: string, secret: string) =>
  `Basic ${Buffer.from(`${encodeURIComponent(id)}:${encodeURIComponent(secret)}`).toString('base64')}`;

function oauthError(run: () => unknown): OAuthError {
  try {
    run();
  } catch (error) {
    if (error instanceof OAuthError) return error;
    throw error;
  }
  throw new Error('expected an OAuthError');
}

describe('parseTokenRequest (RFC 6749 §4.4)', () => {
  it('reads the client credentials from the body', () => {
    expect(
      parseTokenRequest({ grant_type: 'client_credentials', client_id: 'c', client_secret: 's' }, undefined),
    ).toEqual({ grantType: 'client_credentials', clientId: 'c', clientSecret: 's', scopes: undefined });
  });

  it('reads HTTP Basic, form-decoding the id and secret (§2.3.1)', () => {
    const request = parseTokenRequest({ grant_type: 'client_credentials' }, basic('a:b', 's+t/u='));
    expect(request).toMatchObject({ clientId: 'a:b', clientSecret: 's+t/u=' });
  });

  it('splits the scope parameter and drops duplicates', () => {
    const request = parseTokenRequest(
      { grant_type: 'client_credentials', client_id: 'c', client_secret: 's', scope: 'a  b a' },
      undefined,
    );
    expect(request.scopes).toEqual(['a', 'b']);
  });

  it('ignores parameters it does not know (§3.2)', () => {
    expect(() =>
      parseTokenRequest(
        { grant_type: 'client_credentials', client_id: 'c', client_secret: 's', audience: 'x' },
        undefined,
      ),
    ).not.toThrow();
  });

  it('answers invalid_request without a grant_type, unsupported_grant_type for another grant', () => {
    expect(oauthError(() => parseTokenRequest({ client_id: 'c' }, undefined))).toMatchObject({
      status: 400,
      code: 'invalid_request',
    });
    expect(oauthError(() => parseTokenRequest({ grant_type: 'password' }, undefined))).toMatchObject({
      status: 400,
      code: 'unsupported_grant_type',
    });
  });

  it('refuses a parameter sent twice (§3.2) and two authentication methods at once (§2.3)', () => {
    expect(
      oauthError(() => parseTokenRequest({ grant_type: ['client_credentials', 'x'] }, undefined)).code,
    ).toBe('invalid_request');
    expect(
      oauthError(() =>
        parseTokenRequest({ grant_type: 'client_credentials', client_secret: 's' }, basic('c', 's')),
      ).code,
    ).toBe('invalid_request');
  });

  it('answers 401 invalid_client without credentials or with malformed Basic', () => {
    expect(
      oauthError(() => parseTokenRequest({ grant_type: 'client_credentials' }, undefined)),
    ).toMatchObject({
      status: 401,
      code: 'invalid_client',
      extra: { error: 'invalid_client' },
    });
    expect(
      oauthError(() => parseTokenRequest({ grant_type: 'client_credentials' }, 'Basic bm9jb2xvbg==')).code,
    ).toBe('invalid_client');
  });
});

describe('grantedScopes (§3.3)', () => {
  it('grants every held scope when none are asked for, and a subset when asked', () => {
    expect(grantedScopes(undefined, ['a', 'b'])).toEqual(['a', 'b']);
    expect(grantedScopes(['b'], ['a', 'b'])).toEqual(['b']);
  });

  it('refuses a scope the client does not hold with invalid_scope', () => {
    expect(oauthError(() => grantedScopes(['c'], ['a'])).code).toBe('invalid_scope');
  });
});

describe('parseServiceClients', () => {
  it('reads none when unset', () => {
    expect(parseServiceClients(undefined)).toEqual([]);
  });

  it('reads clients and their optional scopes', () => {
    expect(
      parseServiceClients('[{"clientId":"orders","secret":"0123456789abcdef","scopes":["billing:charge"]}]'),
    ).toEqual([{ clientId: 'orders', secret: '0123456789abcdef', scopes: ['billing:charge'] }]);
  });

  it('refuses malformed JSON, short secrets and duplicates without echoing a secret', () => {
    expect(() => parseServiceClients('{')).toThrow(/JSON array/);
    expect(() => parseServiceClients('[{"clientId":"orders","secret":"short"}]')).toThrow(
      /^SERVICE_CLIENTS\[0\] must be/,
    );
    expect(() =>
      parseServiceClients(
        '[{"clientId":"orders","secret":"0123456789abcdef"},{"clientId":"orders","secret":"0123456789abcdef"}]',
      ),
    ).toThrow(/twice/);
  });
});

describe('secretsEqual', () => {
  it('compares secrets of any length', () => {
    expect(secretsEqual('same-secret', 'same-secret')).toBe(true);
    expect(secretsEqual('short', 'a-much-longer-secret')).toBe(false);
  });
});
