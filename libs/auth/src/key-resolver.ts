import { createPublicKey, KeyObject, type JsonWebKey } from 'node:crypto';
import { passportJwtSecret } from 'jwks-rsa';
import type { JwksOptions } from './auth.options';
import { asErrorLike } from './error-like';

/** The only algorithm identity signs with; anything else is refused before a key is looked up. */
export const ACCEPTED_ALGORITHM = 'RS256';

/**
 * Finds the public key for a token's `kid`. Abstract class rather than interface so Nest can use
 * it as the injection token.
 */
export abstract class KeyResolver {
  /**
   * PEM (SPKI) public key for the token's signing key, or null when the issuer has no such key
   * (the token is then refused). Throws SigningKeysUnavailableError when keys cannot be obtained
   * at all, which is identity's outage, not the caller's fault.
   */
  abstract resolveKey(rawJwt: string): Promise<string | null>;
}

export class SigningKeysUnavailableError extends Error {
  constructor(
    readonly reason: string,
    options?: { cause?: unknown },
  ) {
    super(`Signing keys are unavailable: ${reason}`, options);
    this.name = 'SigningKeysUnavailableError';
  }
}

export interface JwtHeader {
  alg?: unknown;
  kid?: unknown;
}

/** Header only; the signature is checked afterwards by the verifier with the key found here. */
export function decodeJwtHeader(rawJwt: string): JwtHeader | null {
  const [encoded] = rawJwt.split('.', 1);
  if (encoded === undefined || encoded === '') return null;
  try {
    const parsed: unknown = JSON.parse(Buffer.from(encoded, 'base64url').toString('utf8'));
    return typeof parsed === 'object' && parsed !== null ? parsed : null;
  } catch {
    return null;
  }
}

/** The kid of an RS256 token, or null for any other algorithm or a token without kid. */
export function rs256Kid(rawJwt: string): string | null {
  const header = decodeJwtHeader(rawJwt);
  if (header === null || header.alg !== ACCEPTED_ALGORITHM) return null;
  return typeof header.kid === 'string' && header.kid !== '' ? header.kid : null;
}

export interface JwksKeyResolverOptions extends JwksOptions {
  jwksUrl: string;
}

type SecretProvider = ReturnType<typeof passportJwtSecret>;

/**
 * Keys from identity's JWKS through jwks-rsa: cached per kid, an unknown kid triggers a refetch
 * (that is how rotation reaches us), and refetches are rate-limited so a flood of made-up kids
 * cannot turn us into a load generator against identity.
 */
export class JwksKeyResolver extends KeyResolver {
  private readonly provider: SecretProvider;

  constructor(options: JwksKeyResolverOptions) {
    super();
    this.provider = passportJwtSecret({
      jwksUri: options.jwksUrl,
      cache: true,
      cacheMaxAge: options.cacheMaxAgeMs ?? 10 * 60 * 1000,
      rateLimit: true,
      jwksRequestsPerMinute: options.requestsPerMinute ?? 10,
      timeout: options.timeoutMs ?? 5000,
      handleSigningKeyError: (err, cb) => {
        const name = err?.name;
        // Unknown kid, or a refetch refused by the rate limit: this token's key is not one we know.
        if (name === 'SigningKeyNotFoundError' || name === 'JwksRateLimitError') return cb(null);
        const reason = asErrorLike(err)?.message ?? 'unknown error';
        return cb(new SigningKeysUnavailableError(reason, { cause: err }));
      },
    });
  }

  resolveKey(rawJwt: string): Promise<string | null> {
    // Without a kid jwks-rsa would pick the only key of a one-key set; identity always sets kid,
    // so a token without one was not minted by it.
    if (rs256Kid(rawJwt) === null) return Promise.resolve(null);
    return new Promise((resolve, reject) => {
      this.provider(null, rawJwt, (err: unknown, secret?: string | Buffer) => {
        if (err) reject(err);
        else if (secret === undefined || secret === null) resolve(null);
        else resolve(typeof secret === 'string' ? secret : secret.toString('utf8'));
      });
    });
  }
}

export interface StaticKeyInput {
  kid: string;
  /** Public or private RSA key (a private key's public half is used), as KeyObject, PEM or JWK. */
  key: KeyObject | string | JsonWebKey;
}

function toPublicPem(input: StaticKeyInput): string {
  const source = input.key;
  let publicKey: KeyObject;
  if (source instanceof KeyObject) {
    // createPublicKey() derives from a private KeyObject but refuses a public one.
    if (source.type === 'secret') throw new Error(`Key ${input.kid} is a secret key; tokens are RS256 only`);
    publicKey = source.type === 'public' ? source : createPublicKey(source);
  } else {
    publicKey =
      typeof source === 'string' ? createPublicKey(source) : createPublicKey({ key: source, format: 'jwk' });
  }
  if (publicKey.asymmetricKeyType !== 'rsa') {
    throw new Error(`Key ${input.kid} is not an RSA key; tokens are RS256 only`);
  }
  return publicKey.export({ type: 'spki', format: 'pem' }).toString();
}

/**
 * Keys handed over in process: identity verifies the tokens it signs without calling its own JWKS
 * endpoint. setKeys() lets it follow its own rotation.
 */
export class StaticKeyResolver extends KeyResolver {
  private keys = new Map<string, string>();

  constructor(keys: StaticKeyInput[]) {
    super();
    this.setKeys(keys);
  }

  setKeys(keys: StaticKeyInput[]): void {
    this.keys = new Map(keys.map((k) => [k.kid, toPublicPem(k)]));
  }

  resolveKey(rawJwt: string): Promise<string | null> {
    const kid = rs256Kid(rawJwt);
    return Promise.resolve(kid === null ? null : (this.keys.get(kid) ?? null));
  }
}
