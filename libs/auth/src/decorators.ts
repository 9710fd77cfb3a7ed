import { createParamDecorator, SetMetadata, type ExecutionContext } from '@nestjs/common';
import { UnauthorizedError } from '@ticketry/platform';
import type { OrgRole, PlatformRole } from './claims';
import { principalOf, type AuthRequest } from './request';
import type { Principal } from './principal';

export const IS_PUBLIC_KEY = 'ticketry:auth:public';
export const ROLES_KEY = 'ticketry:auth:roles';
export const ORG_SCOPE_KEY = 'ticketry:auth:org-scope';
export const STEP_UP_KEY = 'ticketry:auth:step-up';
export const SCOPES_KEY = 'ticketry:auth:scopes';

/**
 * No token needed. A valid token still yields a principal (guest-or-holder endpoints); an invalid
 * one is ignored, because clients attach stale tokens to login and refresh calls.
 */
export const Public = (): MethodDecorator & ClassDecorator => SetMetadata(IS_PUBLIC_KEY, true);

/** Requires at least one of these platform roles. */
export const Roles = (...roles: [PlatformRole, ...PlatformRole[]]): MethodDecorator & ClassDecorator =>
  SetMetadata(ROLES_KEY, roles);

export interface OrgScopeOptions {
  /** Route parameter holding the organization id. Default: `organizationId`, then `id`. */
  param?: string;
  /** Body field holding it (e.g. `organizationId` in POST /v1/events). */
  bodyField?: string;
  /** Query parameter holding it. */
  query?: string;
  /** platform_admin passes without a membership (e.g. "org owner, platform_admin" endpoints). */
  allowPlatformAdmin?: boolean;
}

export interface OrgScopeMetadata {
  roles: OrgRole[];
  options: OrgScopeOptions;
}

function isOrgScopeOptions(value: OrgRole | OrgScopeOptions): value is OrgScopeOptions {
  return typeof value === 'object';
}

/**
 * Requires a membership of the organization named in the request, with one of these roles (none
 * listed: any membership). Options may come last: `@OrgScoped('owner', 'finance', { param: 'orgId' })`.
 */
export const OrgScoped = (
  ...args: [...OrgRole[], OrgScopeOptions] | OrgRole[]
): MethodDecorator & ClassDecorator => {
  const roles: OrgRole[] = [];
  let options: OrgScopeOptions = {};
  for (const arg of args) {
    if (isOrgScopeOptions(arg)) options = { ...arg };
    else roles.push(arg);
  }
  const metadata: OrgScopeMetadata = { roles, options };
  return SetMetadata(ORG_SCOPE_KEY, metadata);
};

/** Requires an OTP step-up within the last 10 minutes (`amr` contains `otp`). */
export const RequireStepUp = (): MethodDecorator & ClassDecorator => SetMetadata(STEP_UP_KEY, true);

/**
 * Client-credentials tokens (API clients, services) must carry every listed scope. Tokens of
 * people have no scopes and are judged by their roles and memberships instead.
 */
export const Scopes = (...scopes: [string, ...string[]]): MethodDecorator & ClassDecorator =>
  SetMetadata(SCOPES_KEY, scopes);

/** The authenticated caller. On a @Public route without a valid token: 401 rather than undefined. */
export const CurrentPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal => {
    const principal = principalOf(context.switchToHttp().getRequest<AuthRequest>());
    if (principal === undefined) throw new UnauthorizedError();
    return principal;
  },
);

/** The caller if a valid token came with the request; for guest-or-holder endpoints. */
export const OptionalPrincipal = createParamDecorator(
  (_data: unknown, context: ExecutionContext): Principal | undefined =>
    principalOf(context.switchToHttp().getRequest<AuthRequest>()),
);
