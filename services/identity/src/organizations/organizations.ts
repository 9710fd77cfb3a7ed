import { ORG_ROLES, type OrgRole } from '@ticketry/auth';

/** Organization rules as plain functions: no framework, no database. */

/** A scope names a capability an API client is granted: `orders:read`, `check-ins:write`. */
export const SCOPE_PATTERN = /^[a-z][a-z0-9_-]*(:[a-z][a-z0-9_-]*)*$/;
export const SCOPE_MAX_LENGTH = 64;

export function isOrganizationRole(value: unknown): value is OrgRole {
  return typeof value === 'string' && (ORG_ROLES as readonly string[]).includes(value);
}

/** ID-16: only an owner adds sub-users; owners, as the responsible organizer, may add other owners. */
export const ROLES_THAT_ADD_MEMBERS: readonly OrgRole[] = ['owner'];
export const ROLES_THAT_LIST_MEMBERS: readonly OrgRole[] = ['owner', 'manager'];
export const ROLES_THAT_CREATE_API_CLIENTS: readonly OrgRole[] = ['owner'];

export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

/** Where a page of members ends: members are listed in the order they joined, ties by identity id. */
export interface MemberCursor {
  createdAt: Date;
  identityId: string;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeMemberCursor(cursor: MemberCursor): string {
  return Buffer.from(JSON.stringify([cursor.createdAt.toISOString(), cursor.identityId])).toString(
    'base64url',
  );
}

/** undefined for anything this code did not hand out: the caller answers 400, never 500. */
export function decodeMemberCursor(raw: string): MemberCursor | undefined {
  try {
    const value: unknown = JSON.parse(Buffer.from(raw, 'base64url').toString('utf8'));
    if (!Array.isArray(value) || value.length !== 2) return undefined;
    const [at, identityId] = value as unknown[];
    if (typeof at !== 'string' || typeof identityId !== 'string' || !UUID.test(identityId)) return undefined;
    const createdAt = new Date(at);
    if (Number.isNaN(createdAt.getTime())) return undefined;
    return { createdAt, identityId };
  } catch {
    return undefined;
  }
}
