import type { Request } from 'express';
import { UnauthorizedError } from '@ticketry/platform';
import { Principal } from './principal';

/** passport's convention: the authenticated caller sits on `request.user`. */
export type AuthRequest = Request & { user?: unknown };

export function principalOf(request: AuthRequest): Principal | undefined {
  const user = request.user;
  return user instanceof Principal ? user : undefined;
}

/** Authorization guards fail closed when authentication did not run or found no caller. */
export function requirePrincipal(request: AuthRequest): Principal {
  const principal = principalOf(request);
  if (principal === undefined) throw new UnauthorizedError();
  return principal;
}
