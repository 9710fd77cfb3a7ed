import { Body, Controller, Get, Post, Put, type INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { AuthModule } from '../auth.module';
import type { AuthModuleOptions } from '../auth.options';
import {
  CurrentPrincipal,
  OptionalPrincipal,
  OrgScoped,
  Public,
  RequireStepUp,
  Roles,
  Scopes,
} from '../decorators';
import type { Principal } from '../principal';
import { AppErrorTestFilter } from './app-error.filter';

function describePrincipal(principal: Principal): Record<string, unknown> {
  return {
    identityId: principal.identityId,
    roles: principal.roles,
    orgs: principal.orgs,
    market: principal.market ?? null,
    isService: principal.isService,
  };
}

/** One route per auth decorator, shaped like the real endpoints in docs/api.md. */
@Controller('v1')
export class ProbeController {
  @Get('me')
  me(@CurrentPrincipal() principal: Principal): Record<string, unknown> {
    return describePrincipal(principal);
  }

  @Public()
  @Get('events')
  listEvents(@OptionalPrincipal() principal: Principal | undefined): Record<string, unknown> {
    return { identityId: principal?.identityId ?? null };
  }

  @Roles('platform_admin')
  @Get('admin/ledger/trial-balance')
  trialBalance(): Record<string, unknown> {
    return { balanced: true };
  }

  @OrgScoped('owner', 'finance')
  @Get('organizations/:organizationId/balance')
  balance(): Record<string, unknown> {
    return { balances: [] };
  }

  @OrgScoped('owner', { allowPlatformAdmin: true })
  @Post('organizations/:id/cancel')
  cancel(): Record<string, unknown> {
    return { status: 'cancelled' };
  }

  @OrgScoped('owner', 'manager', { bodyField: 'organizationId' })
  @Post('events')
  createEvent(@Body() body: Record<string, unknown>): Record<string, unknown> {
    return { organizationId: body.organizationId };
  }

  @OrgScoped({ query: 'organizationId' })
  @Get('orders')
  listOrders(): Record<string, unknown> {
    return { items: [] };
  }

  @RequireStepUp()
  @Put('me/email')
  changeEmail(): Record<string, unknown> {
    return { changed: true };
  }

  @Scopes('orders:read')
  @Get('partner/orders')
  partnerOrders(@CurrentPrincipal() principal: Principal): Record<string, unknown> {
    return { clientId: principal.clientId ?? null };
  }
}

export async function createProbeApp(options: AuthModuleOptions): Promise<INestApplication> {
  const moduleRef = await Test.createTestingModule({
    imports: [AuthModule.forRoot({ globalGuards: true, env: {}, ...options })],
    controllers: [ProbeController],
  }).compile();
  const app = moduleRef.createNestApplication({ logger: false });
  app.useGlobalFilters(new AppErrorTestFilter());
  await app.init();
  return app;
}
