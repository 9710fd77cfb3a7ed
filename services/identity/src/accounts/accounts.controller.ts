import { Body, Controller, HttpCode, Post } from '@nestjs/common';
import { ApiConflictResponse, ApiCreatedResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { RegisterAccountDto, RegisteredAccountDto } from './accounts.dto';
import { AccountsService } from './accounts.service';

@ApiTags('accounts')
@Controller('v1/accounts')
export class AccountsController {
  constructor(private readonly accounts: AccountsService) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({ summary: 'Register a global identity in a market (ID-1, ID-9).' })
  @ApiCreatedResponse({ type: RegisteredAccountDto })
  @ApiConflictResponse({ description: '`email_taken`: the e-mail already has an account.' })
  register(@Body() body: RegisterAccountDto): Promise<RegisteredAccountDto> {
    return this.accounts.register(body);
  }
}
