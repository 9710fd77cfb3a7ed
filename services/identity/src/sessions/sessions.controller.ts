import { Body, Controller, HttpCode, Ip, Post } from '@nestjs/common';
import {
  ApiNoContentResponse,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
  ApiTooManyRequestsResponse,
  ApiUnauthorizedResponse,
} from '@nestjs/swagger';
import { Public } from '@ticketry/auth';
import { LoginDto, RefreshDto, TokenPairDto } from './sessions.dto';
import { SessionsService } from './sessions.service';

@ApiTags('auth')
@Controller('v1/auth')
@Public()
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @Post('login')
  @HttpCode(200)
  @ApiOperation({ summary: 'Log in to a market with e-mail and password (ID-1..ID-3, ID-9).' })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({ description: '`invalid_credentials`, the same for an unknown e-mail.' })
  @ApiTooManyRequestsResponse({ description: '`too_many_attempts` after repeated failures.' })
  login(@Body() body: LoginDto, @Ip() ip: string): Promise<TokenPairDto> {
    return this.sessions.login(body, ip);
  }

  @Post('refresh')
  @HttpCode(200)
  @ApiOperation({
    summary: 'Exchange a refresh token for a new pair; a reused token ends the whole session family.',
  })
  @ApiOkResponse({ type: TokenPairDto })
  @ApiUnauthorizedResponse({ description: '`invalid_refresh_token` or `refresh_token_reused`.' })
  refresh(@Body() body: RefreshDto): Promise<TokenPairDto> {
    return this.sessions.refresh(body.refreshToken);
  }

  @Post('logout')
  @HttpCode(204)
  @ApiOperation({ summary: 'End the session: revokes the refresh token family.' })
  @ApiNoContentResponse()
  async logout(@Body() body: RefreshDto): Promise<void> {
    await this.sessions.logout(body.refreshToken);
  }
}
