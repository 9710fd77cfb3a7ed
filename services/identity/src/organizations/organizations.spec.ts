import { decodeMemberCursor, encodeMemberCursor, isOrganizationRole, SCOPE_PATTERN } from './organizations';

describe('member cursors', () => {
  it('round-trip the position of the last member on a page', () => {
    const cursor = {
      createdAt: new Date('2026-11-21T10:00:00.123Z'),
      identityId: '6f1c2a7e-0b1d-4e4a-9a51-3c2d9e0f1a2b',
    };
    expect(decodeMemberCursor(encodeMemberCursor(cursor))).toEqual(cursor);
  });

  it('refuse anything this API did not hand out', () => {
    expect(decodeMemberCursor('not-a-cursor')).toBeUndefined();
    expect(decodeMemberCursor(Buffer.from('["2026-01-01", "x"]').toString('base64url'))).toBeUndefined();
    expect(decodeMemberCursor(Buffer.from('{}').toString('base64url'))).toBeUndefined();
  });
});

describe('organization roles (ID-16)', () => {
  it('are owner, manager, finance and scanner', () => {
    expect(['owner', 'manager', 'finance', 'scanner'].every(isOrganizationRole)).toBe(true);
    expect(isOrganizationRole('admin')).toBe(false);
  });
});

describe('API client scopes', () => {
  it('look like resource:action', () => {
    expect(SCOPE_PATTERN.test('orders:read')).toBe(true);
    expect(SCOPE_PATTERN.test('check-ins:write')).toBe(true);
    expect(SCOPE_PATTERN.test('Orders read')).toBe(false);
  });
});
