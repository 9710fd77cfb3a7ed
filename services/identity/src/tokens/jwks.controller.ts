import { Controller, Get, Header } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Public } from '@ticketry/auth';
import type { JWK } from 'jose';
import { SigningKeyStore } from './signing-keys';

@ApiTags('tokens')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: SigningKeyStore) {}

  @Get('jwks.json')
  @Public()
  // Verifiers cache it; five minutes is short against the 20-minute overlap of a rotation.
  @Header('Cache-Control', 'public, max-age=300')
  @ApiOperation({
    summary: 'Public keys that verify Ticketry access tokens (RS256); two during a key rotation.',
  })
  @ApiOkResponse({ description: '`{ keys: [JWK] }`' })
  async jwks(): Promise<{ keys: JWK[] }> {
    return { keys: await this.keys.jwks() };
  }
}
