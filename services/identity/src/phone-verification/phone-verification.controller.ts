import { Body, Controller, HttpCode, Inject, Post, Res, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { CurrentPrincipal, PLATFORM_ROLES, PlatformRole, Principal, TicketryAuthGuard } from '@ticketry/auth';
import { CLOCK, Clock, ForbiddenError, NotFoundError } from '@ticketry/platform';
import { IsIn, IsOptional, IsString, Length, Matches } from 'class-validator';
import type { Response } from 'express';
import { DataSource } from 'typeorm';
import { IdentityEntity } from '../accounts/identity.entity';
import { TokenService } from '../tokens/token.service';
import { OTP_TTL_SECONDS } from './otp';
import { PhoneVerificationService } from './phone-verification.service';

export class SendCodeDto {
  @ApiProperty({
    example: '+46701234567',
    description: 'Landline or mobile (ID-9); national numbers read in the token’s market.',
  })
  @IsString()
  @Length(3, 32)
  phone!: string;

  @ApiProperty({ enum: ['sms', 'voice'], description: 'Voice reads the code aloud.' })
  @IsIn(['sms', 'voice'])
  channel!: 'sms' | 'voice';
}

export class CheckCodeDto {
  @ApiProperty() @IsString() @Length(3, 32) phone!: string;
  @ApiProperty({ example: '123456' }) @Matches(/^\d{6}$/, { message: 'code must be 6 digits' }) code!: string;
}

export class StepUpDto {
  @ApiPropertyOptional({
    description: 'Absent: send a code to the verified phone. Present: exchange it for a step-up token.',
  })
  @IsOptional()
  @Matches(/^\d{6}$/, { message: 'code must be 6 digits' })
  code?: string;

  @ApiPropertyOptional({ enum: ['sms', 'voice'] })
  @IsOptional()
  @IsIn(['sms', 'voice'])
  channel?: 'sms' | 'voice';
}

/** Step-up tokens last ten minutes (api.md): long enough for one sensitive change. */
const STEP_UP_TTL_SECONDS = 10 * 60;

@ApiTags('phone')
@ApiBearerAuth()
@Controller('v1')
@UseGuards(TicketryAuthGuard)
export class PhoneVerificationController {
  constructor(
    private readonly phones: PhoneVerificationService,
    private readonly tokens: TokenService,
    private readonly dataSource: DataSource,
    @Inject(CLOCK) private readonly clock: Clock,
  ) {}

  @Post('phone/verifications')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a 6-digit code, valid 10 minutes, by SMS or voice (ID-9); 429 past the send budgets.',
  })
  async send(
    @CurrentPrincipal() principal: Principal,
    @Body() body: SendCodeDto,
  ): Promise<{ expiresIn: number }> {
    const phone = this.phones.normalize(body.phone, principal.market);
    // ID-11: replacing a verified phone is a sensitive change and needs a step-up first.
    const identity = await this.dataSource
      .getRepository(IdentityEntity)
      .findOneBy({ id: principal.identityId });
    if (identity?.phoneVerifiedAt && identity.phone !== phone && !principal.isSteppedUp(this.clock.now())) {
      throw new ForbiddenError('step_up_required', 'Changing a verified phone needs a step-up first.');
    }
    await this.phones.send(principal.identityId, phone, body.channel, 'verify_phone', principal.market);
    return { expiresIn: OTP_TTL_SECONDS };
  }

  @Post('phone/verifications/check')
  @HttpCode(200)
  @ApiOperation({
    summary:
      'Enter the code: links the phone (ID-9, ID-10). 400 invalid_code, 410 code_expired, 429 after 5 wrong codes.',
  })
  async check(
    @CurrentPrincipal() principal: Principal,
    @Body() body: CheckCodeDto,
  ): Promise<{ verified: true }> {
    const phone = this.phones.normalize(body.phone, principal.market);
    await this.phones.verify(principal.identityId, phone, body.code);
    return { verified: true };
  }

  @Post('auth/step-up')
  @ApiOperation({
    summary:
      'Step-up (ID-11): `{}` sends a code to the verified phone (202); `{ code }` returns a 10-minute token with amr otp (200).',
  })
  async stepUp(
    @CurrentPrincipal() principal: Principal,
    @Body() body: StepUpDto,
    @Res() res: Response,
  ): Promise<void> {
    const identity = await this.dataSource
      .getRepository(IdentityEntity)
      .findOneBy({ id: principal.identityId });
    if (!identity) throw new NotFoundError('The identity', 'identity_not_found');
    if (!identity.phone || !identity.phoneVerifiedAt) {
      throw new ForbiddenError('phone_not_verified', 'Step-up needs a verified phone; verify one first.');
    }
    if (body.code === undefined) {
      await this.phones.send(identity.id, identity.phone, body.channel ?? 'sms', 'step_up', principal.market);
      res.status(202).json({ expiresIn: STEP_UP_TTL_SECONDS });
      return;
    }
    await this.phones.commitEvenIfRefused((manager) =>
      this.phones.check(manager, identity.id, identity.phone!, body.code!, 'step_up'),
    );
    const issued = await this.tokens.issueAccessToken({
      identityId: identity.id,
      market: principal.market,
      // The presented token was verified a moment ago; its roles and memberships carry over.
      roles: principal.roles.filter((role): role is PlatformRole =>
        (PLATFORM_ROLES as readonly string[]).includes(role),
      ),
      orgs: [...principal.orgs],
      amr: [...new Set([...principal.amr, 'otp'])],
      authTime: this.clock.now(),
      ttlSeconds: STEP_UP_TTL_SECONDS,
    });
    res.status(200).json({ accessToken: issued.accessToken, expiresIn: issued.expiresIn });
  }
}
