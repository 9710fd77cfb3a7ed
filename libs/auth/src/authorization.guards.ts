import { Inject, Injectable, type CanActivate, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import { ForbiddenError } from '@ticketry/platform';
import { AUTH_OPTIONS, type ResolvedAuthOptions } from './auth.options';
import type { OrgRole, PlatformRole } from './claims';
import {
  ORG_SCOPE_KEY,
  ROLES_KEY,
  SCOPES_KEY,
  STEP_UP_KEY,
  type OrgScopeMetadata,
  type OrgScopeOptions,
} from './decorators';
import type { Principal } from './principal';
import { principalOf, requirePrincipal, type AuthRequest } from './request';

function metadata<T>(reflector: Reflector, key: string, context: ExecutionContext): T | undefined {
  // Method-level metadata overrides class-level, so a controller-wide rule can be narrowed per route.
  return reflector.getAllAndOverride<T | undefined>(key, [context.getHandler(), context.getClass()]);
}

function requestOf(context: ExecutionContext): AuthRequest {
  return context.switchToHttp().getRequest<AuthRequest>();
}

/** 403 `forbidden` unless the caller has one of the @Roles. */
@Injectable()
export class RolesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const roles = metadata<PlatformRole[]>(this.reflector, ROLES_KEY, context);
    if (roles === undefined || roles.length === 0) return true;
    const principal = requirePrincipal(requestOf(context));
    if (!principal.hasRole(...roles)) throw new ForbiddenError('forbidden', 'Your role does not allow this.');
    return true;
  }
}

/** 403 `insufficient_scope` when a client-credentials token lacks one of the @Scopes. */
@Injectable()
export class ScopesGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const scopes = metadata<string[]>(this.reflector, SCOPES_KEY, context);
    if (scopes === undefined || scopes.length === 0) {
      // Default deny for partner API clients: they reach only routes that name the scopes they
      // need, so a client acting as its organization's manager cannot wander onto every manager
      // route. Service-to-service tokens are trusted platform code and pass.
      const principal = principalOf(requestOf(context));
      if (principal?.isClient && !principal.isService) {
        throw new ForbiddenError(
          'insufficient_scope',
          'API clients may only call endpoints that declare scopes.',
        );
      }
      return true;
    }
    const principal = requirePrincipal(requestOf(context));
    if (principal.isClient && !principal.hasScope(...scopes)) {
      throw new ForbiddenError('insufficient_scope', `This client needs the scopes: ${scopes.join(' ')}.`);
    }
    return true;
  }
}

/**
 * Throws 403 `organization_forbidden` unless the principal is a member of the organization with
 * one of the roles (no roles: any membership). For services that learn the organization only after
 * loading a resource (e.g. an event's organizer at check-in).
 */
export function assertOrganizationRole(
  principal: Principal,
  organizationId: string,
  roles: readonly OrgRole[] = [],
  options: { allowPlatformAdmin?: boolean } = {},
): void {
  if (options.allowPlatformAdmin === true && principal.hasRole('platform_admin')) return;
  const held = principal.rolesIn(organizationId);
  const allowed = roles.length === 0 ? held.length > 0 : held.some((role) => roles.includes(role));
  if (!allowed) throw new ForbiddenError('organization_forbidden', 'You may not act for this organization.');
}

function stringValue(source: unknown, key: string): string | undefined {
  if (typeof source !== 'object' || source === null) return undefined;
  const value: unknown = (source as Record<string, unknown>)[key];
  return typeof value === 'string' && value.length > 0 ? value : undefined;
}

/** Where the request names its organization; the first source that has a value wins. */
export function organizationIdFrom(request: AuthRequest, options: OrgScopeOptions): string | undefined {
  const explicit =
    options.param !== undefined || options.bodyField !== undefined || options.query !== undefined;
  if (!explicit) return stringValue(request.params, 'organizationId') ?? stringValue(request.params, 'id');
  return (
    (options.param !== undefined ? stringValue(request.params, options.param) : undefined) ??
    (options.bodyField !== undefined ? stringValue(request.body, options.bodyField) : undefined) ??
    (options.query !== undefined ? stringValue(request.query, options.query) : undefined)
  );
}

/**
 * Enforces @OrgScoped. A request that does not name an organization is refused (403) rather than
 * let through: guards run before validation, and failing open here would be an authorization hole.
 */
@Injectable()
export class OrgScopeGuard implements CanActivate {
  constructor(private readonly reflector: Reflector) {}

  canActivate(context: ExecutionContext): boolean {
    const scope = metadata<OrgScopeMetadata>(this.reflector, ORG_SCOPE_KEY, context);
    if (scope === undefined) return true;
    const request = requestOf(context);
    const principal = requirePrincipal(request);
    if (scope.options.allowPlatformAdmin === true && principal.hasRole('platform_admin')) return true;
    const organizationId = organizationIdFrom(request, scope.options);
    if (organizationId === undefined) {
      throw new ForbiddenError(
        'organization_forbidden',
        'The request does not name an organization you may act for.',
      );
    }
    assertOrganizationRole(principal, organizationId, scope.roles);
    return true;
  }
}

/** 403 `step_up_required` unless the token shows an OTP check within the last 10 minutes. */
@Injectable()
export class StepUpGuard implements CanActivate {
  constructor(
    private readonly reflector: Reflector,
    @Inject(AUTH_OPTIONS) private readonly options: ResolvedAuthOptions,
  ) {}

  canActivate(context: ExecutionContext): boolean {
    if (metadata<boolean>(this.reflector, STEP_UP_KEY, context) !== true) return true;
    const principal = requirePrincipal(requestOf(context));
    if (!principal.isSteppedUp(this.options.clock.now(), this.options.stepUpMaxAgeSeconds)) {
      throw new ForbiddenError(
        'step_up_required',
        'Confirm this action with a one-time code (step-up), then retry.',
      );
    }
    return true;
  }
}
