import { Body, Controller, HttpCode, Post, UseGuards } from '@nestjs/common';
import { ApiBearerAuth, ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Roles, TicketryAuthGuard } from '@ticketry/auth';
import { RunPaymentJobsAnswerDto, RunPaymentJobsDto } from './payments.dto';
import { PaymentsService, RetryRunResult } from './payments.service';

@ApiTags('admin')
@ApiBearerAuth()
@Controller('v1/admin/payments')
@UseGuards(TicketryAuthGuard)
export class AdminPaymentsController {
  constructor(private readonly payments: PaymentsService) {}

  /** api.md "time-driven work": the scheduled retry job, on demand, at a chosen moment. */
  @Post('run')
  @HttpCode(200)
  @Roles('platform_admin')
  @ApiOperation({
    summary:
      'Run the payment retry job as of `asOf`: requested captures and voids, and pending authorisations ' +
      'older than one minute before asOf (same provider key).',
  })
  @ApiOkResponse({ type: RunPaymentJobsAnswerDto })
  run(@Body() body: RunPaymentJobsDto): Promise<RetryRunResult> {
    return this.payments.retryDue(new Date(body.asOf));
  }
}
