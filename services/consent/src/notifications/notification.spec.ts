import { decideDelivery, NotificationRequest } from './notification';

const request = (overrides: Partial<NotificationRequest> = {}): NotificationRequest => ({
  notificationId: '00000000-0000-4000-8000-000000000001',
  channel: 'email',
  kind: 'transactional',
  recipient: 'buyer@example.test',
  template: 'order_receipt',
  market: 'se',
  ...overrides,
});

describe('decideDelivery', () => {
  it('always sends a transactional message, even without marketing consent (CON-3)', () => {
    expect(decideDelivery(request({ kind: 'transactional' }), false)).toEqual({ send: true });
  });

  it('suppresses a marketing message without an opt-in (CON-1)', () => {
    expect(decideDelivery(request({ kind: 'marketing' }), false)).toEqual({
      send: false,
      reason: 'no_marketing_consent',
    });
  });

  it('sends a marketing message with an opt-in (CON-1)', () => {
    expect(decideDelivery(request({ kind: 'marketing' }), true)).toEqual({ send: true });
  });

  it('never sends marketing as a voice call', () => {
    expect(decideDelivery(request({ kind: 'marketing', channel: 'voice' }), true)).toEqual({
      send: false,
      reason: 'unsupported_channel',
    });
  });
});
