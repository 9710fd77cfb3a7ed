import { Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { OrgScopeGuard, RolesGuard, ScopesGuard, StepUpGuard } from './authorization.guards';
import { JwtAuthGuard } from './jwt-auth.guard';

/**
 * Authentication followed by every authorization check, in one guard with a fixed order. A
 * decorator like @Roles() without its guard does nothing, silently; with this one guard (global,
 * or @UseGuards(TicketryAuthGuard)) every auth decorator on the route is enforced.
 * Step-up comes last: a caller who may not act at all should hear that before being asked for a code.
 */
type Check = { canActivate(context: ExecutionContext): boolean | Promise<boolean> };

@Injectable()
export class TicketryAuthGuard implements CanActivate {
  private readonly checks: Check[];

  constructor(
    jwt: JwtAuthGuard,
    roles: RolesGuard,
    scopes: ScopesGuard,
    orgScope: OrgScopeGuard,
    stepUp: StepUpGuard,
  ) {
    this.checks = [jwt, roles, scopes, orgScope, stepUp];
  }

  async canActivate(context: ExecutionContext): Promise<boolean> {
    for (const check of this.checks) {
      if (!(await check.canActivate(context))) return false;
    }
    return true;
  }
}
