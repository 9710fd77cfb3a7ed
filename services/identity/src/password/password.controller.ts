import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import {
  ApiAcceptedResponse,
  ApiNoContentResponse,
  ApiOperation,
  ApiProperty,
  ApiTags,
} from '@nestjs/swagger';
import { Public } from '@ticketry/auth';
import { MARKET_CODES } from '@ticketry/platform';
import { Transform } from 'class-transformer';
import { IsEmail, IsIn, IsString, Length, MaxLength } from 'class-validator';
import { PasswordService } from './password.service';

export class ForgotPasswordDto {
  @ApiProperty()
  @Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value))
  @IsEmail({}, { message: 'email must be an e-mail address' })
  @MaxLength(254)
  email!: string;

  @ApiProperty({ enum: MARKET_CODES })
  @IsIn(MARKET_CODES, { message: 'market must be a known market code' })
  market!: string;
}

export class ResetPasswordDto {
  @ApiProperty()
  @IsString()
  @Length(20, 200)
  token!: string;

  @ApiProperty({ minLength: 10, maxLength: 128 })
  @IsString()
  @Length(1, 1024)
  newPassword!: string;
}

@ApiTags('password')
@Controller('v1/password')
@Public()
export class PasswordController {
  constructor(private readonly passwords: PasswordService) {}

  @Post('forgot')
  @HttpCode(202)
  @ApiOperation({
    summary: 'Send a reset link if the e-mail is known (guest accounts too, ID-14); always 202.',
  })
  @ApiAcceptedResponse()
  async forgot(@Body() body: ForgotPasswordDto): Promise<void> {
    await this.passwords.forgot(body.email, body.market);
  }

  @Post('reset')
  @HttpCode(204)
  @ApiOperation({ summary: 'Set a new password with a single-use, one-hour reset token.' })
  @ApiNoContentResponse({
    description: '400 `invalid_reset_token`, 410 `reset_token_expired`, 400 `validation_failed`.',
  })
  async reset(@Body() body: ResetPasswordDto): Promise<void> {
    await this.passwords.reset(body.token, body.newPassword);
  }
}
