import { Body, Controller, Headers, HttpCode, Post, Res } from '@nestjs/common';
import {
  ApiBadRequestResponse,
  ApiBasicAuth,
  ApiBody,
  ApiConsumes,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Public } from '@ticketry/auth';
import type { Response } from 'express';
import { OAuthProblemDto, TokenRequestDto, TokenResponseDto } from './oauth.dto';
import { OAuthError, parseTokenRequest } from './oauth';
import { OAuthService } from './oauth.service';

@ApiTags('oauth')
@Controller('v1/oauth')
@Public()
export class OAuthController {
  constructor(private readonly oauth: OAuthService) {}

  @Post('token')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Client credentials grant (RFC 6749 §4.4) for API clients and Ticketry services.',
    description:
      'Authenticate with HTTP Basic or with `client_id` and `client_secret` in the body. An ' +
      'organization’s API client gets a token acting for its organization (`orgs: [{ id, role: ' +
      '"manager" }]`, `roles: []`, its scopes in `scope`); a service from SERVICE_CLIENTS gets ' +
      '`roles: ["service"]`. Errors are problem+json with `code` and `error` set to the RFC 6749 §5.2 name.',
  })
  @ApiConsumes('application/x-www-form-urlencoded', 'application/json')
  @ApiBody({ type: TokenRequestDto })
  @ApiBasicAuth()
  @ApiOkResponse({ type: TokenResponseDto })
  @ApiBadRequestResponse({
    type: OAuthProblemDto,
    description: '`invalid_request`, `unsupported_grant_type` or `invalid_scope`.',
  })
  @ApiUnauthorizedResponse({
    type: OAuthProblemDto,
    description: '`invalid_client`: unknown or revoked client, or a wrong secret.',
  })
  // The body is read by parseTokenRequest, not a DTO: OAuth errors, not `validation_failed`, and
  // unknown parameters ignored as RFC 6749 §3.2 requires.
  async token(
    @Body() body: unknown,
    @Headers('authorization') authorization: string | undefined,
    @Res({ passthrough: true }) response: Response,
  ): Promise<TokenResponseDto> {
    // §5.1: tokens and their errors must not be cached.
    response.setHeader('Cache-Control', 'no-store');
    response.setHeader('Pragma', 'no-cache');
    try {
      return await this.oauth.token(parseTokenRequest(body, authorization));
    } catch (error) {
      if (error instanceof OAuthError && error.status === 401) {
        response.setHeader('WWW-Authenticate', 'Basic realm="ticketry", charset="UTF-8"');
      }
      throw error;
    }
  }
}
