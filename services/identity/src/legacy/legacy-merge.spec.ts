import { mergeLegacyAccounts } from './legacy-merge';

const at = (iso: string) => new Date(iso);

describe('mergeLegacyAccounts', () => {
  it('links accounts with the same e-mail, in any case, into one identity (ID-2)', () => {
    const merged = mergeLegacyAccounts([
      { market: 'se', email: 'Anna@Example.se', firstName: 'Anna', updatedAt: at('2024-01-01') },
      { market: 'no', email: ' anna@example.se ', firstName: 'Anna', updatedAt: at('2025-01-01') },
    ]);
    expect(merged).toHaveLength(1);
    expect(merged[0]).toMatchObject({ email: 'anna@example.se', markets: ['se', 'no'] });
  });

  it('never links accounts with different e-mails (ID-4)', () => {
    const merged = mergeLegacyAccounts([
      { market: 'se', email: 'anna@example.se', updatedAt: at('2024-01-01') },
      { market: 'no', email: 'anna@example.no', updatedAt: at('2024-01-01') },
    ]);
    expect(merged.map((m) => m.email).sort()).toEqual(['anna@example.no', 'anna@example.se']);
  });

  it('keeps the most recently updated non-empty value of each profile field (ID-6)', () => {
    const [merged] = mergeLegacyAccounts([
      {
        market: 'se',
        email: 'a@x.se',
        firstName: 'Anna',
        lastName: 'Berg',
        phone: '+46701234567',
        updatedAt: at('2023-05-01'),
      },
      {
        market: 'no',
        email: 'a@x.se',
        firstName: 'Anne',
        lastName: '',
        language: 'nb',
        updatedAt: at('2025-05-01'),
      },
      { market: 'dk', email: 'a@x.se', firstName: 'Ann', postalCode: '2100', updatedAt: at('2024-05-01') },
    ]);
    expect(merged.profile).toEqual({
      firstName: 'Anne', // newest
      lastName: 'Berg', // newest non-empty
      phone: '+46701234567',
      language: 'nb',
      postalCode: '2100',
    });
  });

  it('does not let an older import overwrite newer data on file (ID-6)', () => {
    const existing = new Map([
      ['a@x.se', { profile: { firstName: 'Current' }, updatedAt: at('2026-01-01') }],
    ]);
    const [merged] = mergeLegacyAccounts(
      [{ market: 'se', email: 'a@x.se', firstName: 'Old', updatedAt: at('2020-01-01') }],
      existing,
    );
    expect(merged.profile.firstName).toBe('Current');
  });
});
