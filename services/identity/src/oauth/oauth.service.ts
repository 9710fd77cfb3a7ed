import { Inject, Injectable } from '@nestjs/common';
import { CONFIG } from '@ticketry/platform';
import * as argon2 from 'argon2';
import { DataSource, IsNull } from 'typeorm';
import { ARGON2_OPTIONS } from '../accounts/accounts.service';
import { IdentityConfig } from '../config';
import { ApiClientEntity } from '../organizations/api-client.entity';
import { TokenService } from '../tokens/token.service';
import { TokenResponseDto } from './oauth.dto';
import {
  grantedScopes,
  OAuthError,
  parseServiceClients,
  secretsEqual,
  ServiceClient,
  TokenRequest,
} from './oauth';

/** Verified against when the client is unknown, so a miss costs as long as a wrong secret. */
const DUMMY_HASH = argon2.hash('ticketry-client-timing-equaliser', ARGON2_OPTIONS);

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

function invalidClient(): OAuthError {
  // One answer for an unknown client, a revoked one and a wrong secret.
  return new OAuthError('invalid_client', 'Client authentication failed.');
}

/** The client-credentials grant for organizations' API clients and for other Ticketry services. */
@Injectable()
export class OAuthService {
  private readonly serviceClients: ReadonlyMap<string, ServiceClient>;

  constructor(
    private readonly dataSource: DataSource,
    private readonly tokens: TokenService,
    @Inject(CONFIG) config: IdentityConfig,
  ) {
    // Malformed SERVICE_CLIENTS stops the start with a message naming the problem, not a secret.
    this.serviceClients = new Map(parseServiceClients(config.SERVICE_CLIENTS).map((c) => [c.clientId, c]));
  }

  async token(request: TokenRequest): Promise<TokenResponseDto> {
    const service = this.serviceClients.get(request.clientId);
    if (service !== undefined) {
      if (!secretsEqual(request.clientSecret, service.secret)) throw invalidClient();
      const scopes = grantedScopes(request.scopes, service.scopes);
      return this.answer(
        await this.tokens.issueClientToken({ clientId: service.clientId, scopes, roles: ['service'] }),
        scopes,
      );
    }

    const client = UUID.test(request.clientId)
      ? await this.dataSource
          .getRepository(ApiClientEntity)
          .findOneBy({ clientId: request.clientId.toLowerCase(), revokedAt: IsNull() })
      : null;
    if (!client) {
      await argon2.verify(await DUMMY_HASH, request.clientSecret);
      throw invalidClient();
    }
    if (!(await argon2.verify(client.secretHash, request.clientSecret))) throw invalidClient();
    const scopes = grantedScopes(request.scopes, client.scopes);
    return this.answer(
      await this.tokens.issueClientToken({
        clientId: client.clientId,
        organizationId: client.organizationId,
        scopes,
        roles: [],
      }),
      scopes,
    );
  }

  private answer(issued: { accessToken: string; expiresIn: number }, scopes: string[]): TokenResponseDto {
    return {
      access_token: issued.accessToken,
      token_type: 'Bearer',
      expires_in: issued.expiresIn,
      ...(scopes.length > 0 ? { scope: scopes.join(' ') } : {}),
    };
  }
}
