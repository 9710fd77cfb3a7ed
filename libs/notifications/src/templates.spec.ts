import { PermanentDeliveryError } from './delivery-errors';
import { renderTemplate, resolveLanguage, spokenDigits, TEMPLATES } from './templates';

describe('renderTemplate', () => {
  it('puts the code in the SMS text of a phone verification', () => {
    const rendered = renderTemplate('phone_verification_code', { code: '482913' }, 'en', 'sms');

    expect(rendered.body).toBe('Your Ticketry verification code is 482913. It is valid for 10 minutes.');
    expect(rendered.language).toBe('en');
  });

  it('spells the code digit by digit for a voice call', () => {
    const rendered = renderTemplate('step_up_code', { code: '482913' }, 'en', 'voice');

    expect(rendered.body).toContain('is 4, 8, 2, 9, 1, 3.');
    expect(rendered.body).not.toContain('482913');
  });

  it('renders Swedish for sv and regional variants of it', () => {
    expect(renderTemplate('password_reset', { link: 'https://t.test/r' }, 'sv').subject).toBe(
      'Återställ ditt lösenord för Ticketry',
    );
    expect(renderTemplate('password_reset', { link: 'https://t.test/r' }, 'sv-FI').language).toBe('sv');
  });

  it('falls back to English for a language without texts, and for a template without that language', () => {
    const german = renderTemplate('account_welcome', { firstName: 'Ada' }, 'de-DE');
    expect(german).toMatchObject({ subject: 'Welcome to Ticketry', language: 'en' });
    expect(german.body).toContain('Hi Ada,');

    const generic = renderTemplate('generic', { subject: 'Nyhet', body: 'Text' }, 'sv');
    expect(generic).toEqual({ subject: 'Nyhet', body: 'Text', language: 'en' });
  });

  it('uses the optional data when given and leaves it out otherwise', () => {
    const data = { confirmationNumber: 'TK-1001', eventTitle: 'Way Out West', total: 'SEK 1 190.00' };
    const withLink = renderTemplate('order_receipt', { ...data, link: 'https://t.test/o/1' }, 'en');
    const withoutLink = renderTemplate('order_receipt', data, 'en');

    expect(withLink.subject).toBe('Your tickets for Way Out West (order TK-1001)');
    expect(withLink.body).toContain('Your tickets: https://t.test/o/1');
    expect(withoutLink.body).not.toContain('Your tickets:');
    expect(withoutLink.body).toContain('Total paid: SEK 1 190.00.');
  });

  it('refuses missing or blank required data with a permanent error naming the key', () => {
    const missing = (): unknown =>
      renderTemplate('order_receipt', { confirmationNumber: 'TK-1', eventTitle: 'X' }, 'en');
    expect(missing).toThrow(PermanentDeliveryError);
    expect(missing).toThrow('Template "order_receipt" needs data "total".');

    const blank = (): unknown => renderTemplate('phone_verification_code', { code: '  ' }, 'en', 'sms');
    expect(blank).toThrow(expect.objectContaining({ code: 'template_data_missing' }));
  });

  it('refuses an unknown template with a permanent error', () => {
    expect(() => renderTemplate('birthday_greeting', {}, 'en')).toThrow(
      expect.objectContaining({
        code: 'template_unknown',
        message: 'Unknown message template "birthday_greeting".',
      }),
    );
    // Inherited object keys are not templates.
    expect(() => renderTemplate('toString', {}, 'en')).toThrow(PermanentDeliveryError);
  });

  it('has English and Swedish texts for every template that users read in their language', () => {
    const withoutSwedish = Object.entries(TEMPLATES)
      .filter(([, definition]) => !definition.renderers.sv)
      .map(([name]) => name);
    expect(withoutSwedish).toEqual(['generic']);
  });
});

describe('spokenDigits and resolveLanguage', () => {
  it('separates the digits so text-to-speech reads them one by one', () => {
    expect(spokenDigits('123456')).toBe('1, 2, 3, 4, 5, 6');
    expect(spokenDigits('12 34')).toBe('1, 2, 3, 4');
  });

  it('maps language tags to a language with texts', () => {
    expect(resolveLanguage('SV_se')).toBe('sv');
    expect(resolveLanguage(undefined)).toBe('en');
    expect(resolveLanguage('nb')).toBe('en');
  });
});
