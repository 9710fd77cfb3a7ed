import { generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { exportJWK, SignJWT, type JWTPayload } from 'jose';
import { DEFAULT_AUDIENCE, DEFAULT_ISSUER } from '../auth.options';
import type { OrgMembership } from '../claims';

/**
 * A stand-in for identity in tests: real RSA keys, a JWKS served over HTTP on 127.0.0.1, tokens
 * signed with jose (an implementation independent of the verifier under test). Not exported from
 * the package index so production code cannot reach it; import it by path from tests.
 */

export interface TokenClaims {
  sub?: string;
  market?: string;
  roles?: string[];
  orgs?: OrgMembership[];
  amr?: string[];
  auth_time?: number;
  scope?: string;
  client_id?: string;
  jti?: string;
  [claim: string]: unknown;
}

export interface SignOptions {
  /** Key to sign with; default the first key added. */
  kid?: string;
  /** Put no kid in the header. */
  omitKid?: boolean;
  issuer?: string;
  audience?: string | string[];
  /** Default: now (seconds since the epoch). */
  issuedAt?: number;
  /** Relative to issuedAt; negative for an already expired token. Default 300. */
  expiresInSeconds?: number;
}

interface KeyPair {
  privateKey: KeyObject;
  publicKey: KeyObject;
  published: boolean;
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}

export class TestIssuer {
  /** How many times the JWKS was fetched. */
  jwksRequests = 0;
  /** When set, the JWKS endpoint answers 503 (identity down). */
  unavailable = false;

  private readonly keys = new Map<string, KeyPair>();
  private firstKid: string | undefined;

  private readonly server: Server;
  private baseUrl = '';

  private constructor(
    readonly issuer: string,
    readonly audience: string,
  ) {
    this.server = createServer((request, response) => {
      if (request.url !== '/.well-known/jwks.json') {
        response.writeHead(404).end();
        return;
      }
      this.jwksRequests += 1;
      if (this.unavailable) {
        response.writeHead(503).end();
        return;
      }
      this.jwks()
        .then((body) =>
          response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify(body)),
        )
        .catch(() => response.writeHead(500).end());
    });
  }

  static async start(options: { issuer?: string; audience?: string } = {}): Promise<TestIssuer> {
    const issuer = new TestIssuer(options.issuer ?? DEFAULT_ISSUER, options.audience ?? DEFAULT_AUDIENCE);
    await new Promise<void>((resolve) => issuer.server.listen(0, '127.0.0.1', resolve));
    const { port } = issuer.server.address() as AddressInfo;
    issuer.baseUrl = `http://127.0.0.1:${port}`;
    return issuer;
  }

  get jwksUrl(): string {
    return `${this.baseUrl}/.well-known/jwks.json`;
  }

  /** A new RSA key; published in the JWKS unless told otherwise. Returns its kid. */
  addKey(options: { kid?: string; publish?: boolean } = {}): string {
    const kid = options.kid ?? randomUUID();
    const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    this.keys.set(kid, { privateKey, publicKey, published: options.publish ?? true });
    this.firstKid ??= kid;
    return kid;
  }

  publish(kid: string): void {
    this.pair(kid).published = true;
  }

  publicKey(kid: string): KeyObject {
    return this.pair(kid).publicKey;
  }

  privateKey(kid: string): KeyObject {
    return this.pair(kid).privateKey;
  }

  async jwks(): Promise<{ keys: Record<string, unknown>[] }> {
    const keys: Record<string, unknown>[] = [];
    for (const [kid, pair] of this.keys) {
      if (!pair.published) continue;
      keys.push({ ...(await exportJWK(pair.publicKey)), kid, alg: 'RS256', use: 'sig' });
    }
    return { keys };
  }

  payload(claims: TokenClaims, options: SignOptions = {}): JWTPayload {
    const iat = options.issuedAt ?? nowSeconds();
    return {
      sub: randomUUID(),
      roles: ['consumer'],
      orgs: [],
      jti: randomUUID(),
      ...claims,
      iss: options.issuer ?? this.issuer,
      aud: options.audience ?? this.audience,
      iat,
      exp: iat + (options.expiresInSeconds ?? 300),
    };
  }

  async sign(claims: TokenClaims = {}, options: SignOptions = {}): Promise<string> {
    const kid = options.kid ?? this.firstKid;
    if (kid === undefined) throw new Error('TestIssuer has no key; call addKey() first');
    return new SignJWT(this.payload(claims, options))
      .setProtectedHeader(options.omitKid === true ? { alg: 'RS256' } : { alg: 'RS256', kid })
      .sign(this.pair(kid).privateKey);
  }

  /** The classic confusion attack: HS256 with the (public) RSA key's PEM as the HMAC secret. */
  async signHs256WithPublicKey(
    claims: TokenClaims = {},
    kid: string = this.requireFirstKid(),
  ): Promise<string> {
    const secret = new TextEncoder().encode(
      this.publicKey(kid).export({ type: 'spki', format: 'pem' }).toString(),
    );
    return new SignJWT(this.payload(claims)).setProtectedHeader({ alg: 'HS256', kid }).sign(secret);
  }

  /** alg "none": no signature at all. */
  unsigned(claims: TokenClaims = {}, kid: string = this.requireFirstKid()): string {
    const encode = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');
    return `${encode({ alg: 'none', kid })}.${encode(this.payload(claims))}.`;
  }

  async close(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve, reject) => this.server.close((err) => (err ? reject(err) : resolve())));
  }

  private requireFirstKid(): string {
    if (this.firstKid === undefined) throw new Error('TestIssuer has no key; call addKey() first');
    return this.firstKid;
  }

  private pair(kid: string): KeyPair {
    const pair = this.keys.get(kid);
    if (pair === undefined) throw new Error(`TestIssuer has no key ${kid}`);
    return pair;
  }
}
