import { anonymisedProfile, erasedEmail } from './erasure';

describe('account erasure (ID-17, CON-6)', () => {
  const id = '0b7e3a52-6f7c-4a53-9a4e-3f1b2b9f8c11';

  it('replaces the e-mail with one derived from the id only, under the reserved .invalid domain', () => {
    expect(erasedEmail(id)).toBe(`erased+${id}@invalid`);
  });

  it('empties every personal field and removes the password, so no one can log in as the identity', () => {
    const profile = anonymisedProfile(id);
    expect(profile).toMatchObject({
      firstName: '',
      lastName: '',
      phone: null,
      postalCode: null,
      dateOfBirth: null,
      passwordHash: null,
      publicProfile: false,
      platformRoles: [],
    });
    expect(JSON.stringify(profile)).not.toMatch(/@(?!invalid)/);
  });
});
