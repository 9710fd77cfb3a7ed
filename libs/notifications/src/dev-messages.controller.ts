import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProperty, ApiPropertyOptional, ApiTags } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, IsString, Max, MaxLength, Min } from 'class-validator';
import type { DevMessageEntity } from './dev-message.entity';
import {
  DEV_MESSAGES_DEFAULT_LIMIT,
  DEV_MESSAGES_MAX_LIMIT,
  DevOutboxTransport,
} from './dev-outbox.transport';
import { CHANNELS, type Channel } from './message';

export class DevMessagesQueryDto {
  @ApiPropertyOptional({
    description:
      'Recipient: an e-mail address (case-insensitive) or an E.164 phone number. An unencoded "+" (read as a space) is accepted. Without it, the latest messages to anyone.',
    example: 'ada@example.com',
  })
  @IsOptional()
  @IsString()
  @MaxLength(320)
  to?: string;

  @ApiPropertyOptional({ minimum: 1, maximum: DEV_MESSAGES_MAX_LIMIT, default: DEV_MESSAGES_DEFAULT_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(DEV_MESSAGES_MAX_LIMIT)
  limit?: number;
}

export class DevMessageDto {
  @ApiProperty({ format: 'uuid' })
  id!: string;

  @ApiProperty({ enum: CHANNELS })
  channel!: Channel;

  @ApiProperty({ description: 'E-mail address or E.164 phone number', example: '+46701234567' })
  to!: string;

  @ApiProperty({ type: String, nullable: true, description: 'E-mail subject; null for SMS and voice' })
  subject!: string | null;

  @ApiProperty()
  body!: string;

  @ApiProperty({ example: 'phone_verification_code' })
  template!: string;

  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'The template data, e.g. { "code": "123456" }',
  })
  data!: Record<string, string>;

  @ApiProperty({ format: 'date-time' })
  createdAt!: string;
}

export class DevMessagesResponseDto {
  @ApiProperty({ type: [DevMessageDto] })
  items!: DevMessageDto[];
}

export function toDevMessageDto(row: DevMessageEntity): DevMessageDto {
  return {
    id: row.id,
    channel: row.channel,
    to: row.toAddress,
    subject: row.subject,
    body: row.body,
    template: row.template,
    data: row.data,
    createdAt: row.createdAt.toISOString(),
  };
}

/** Registered by NotificationsModule only with MESSAGE_TRANSPORT=outbox outside production. */
@ApiTags('dev')
@Controller('v1/dev/messages')
export class DevMessagesController {
  constructor(@Inject(DevOutboxTransport) private readonly outbox: DevOutboxTransport) {}

  @Get()
  @ApiOperation({
    summary: 'Messages recorded instead of sent (dev message sink)',
    description:
      'Only when MESSAGE_TRANSPORT=outbox, never in production. E-mails, SMS and voice messages this service would have sent, newest first.',
  })
  @ApiOkResponse({ type: DevMessagesResponseDto })
  async list(@Query() query: DevMessagesQueryDto): Promise<DevMessagesResponseDto> {
    const rows = await this.outbox.list({ to: query.to, limit: query.limit });
    return { items: rows.map(toDevMessageDto) };
  }
}
