import { ConfigError } from '@ticketry/platform';
import type { SesEmailTransportConfig } from './ses-email.transport';
import type { TwilioTransportConfig } from './twilio.transport';

export const MESSAGE_TRANSPORT_MODES = ['outbox', 'provider'] as const;
export type MessageTransportMode = (typeof MESSAGE_TRANSPORT_MODES)[number];

export type NotificationsConfig =
  | { mode: 'outbox'; devMessagesEndpoint: boolean }
  | { mode: 'provider'; ses: SesEmailTransportConfig; twilio: TwilioTransportConfig };

/**
 * A platform ConfigError, so the service bootstrap reports it as the one-line configuration error
 * naming every offending variable and exits, instead of a stack trace.
 */
export class NotificationsConfigError extends ConfigError {
  constructor(problems: string[]) {
    super(problems);
    this.name = 'NotificationsConfigError';
  }
}

function isUrl(value: string): boolean {
  try {
    const url = new URL(value);
    return url.protocol === 'http:' || url.protocol === 'https:';
  } catch {
    return false;
  }
}

/**
 * MESSAGE_TRANSPORT defaults to `outbox` outside production (nobody gets real e-mail or SMS from a
 * laptop or CI) and to `provider` in production, where `outbox` is refused: it would silently
 * swallow every OTP and receipt.
 */
export function loadNotificationsConfig(env: NodeJS.ProcessEnv = process.env): NotificationsConfig {
  // An empty variable is a missing one, as in the platform config.
  const read = (name: string): string | undefined => {
    const value = env[name]?.trim();
    return value === undefined || value === '' ? undefined : value;
  };
  const production = read('NODE_ENV') === 'production';
  const mode = read('MESSAGE_TRANSPORT') ?? (production ? 'provider' : 'outbox');
  if (!(MESSAGE_TRANSPORT_MODES as readonly string[]).includes(mode)) {
    throw new NotificationsConfigError([
      `MESSAGE_TRANSPORT must be one of ${MESSAGE_TRANSPORT_MODES.join(', ')}`,
    ]);
  }
  if (mode === 'outbox') {
    if (production) {
      throw new NotificationsConfigError([
        'MESSAGE_TRANSPORT=outbox is not allowed in production (NODE_ENV=production)',
      ]);
    }
    return { mode: 'outbox', devMessagesEndpoint: !production };
  }

  const problems: string[] = [];
  const required = (name: string, message = 'is required with MESSAGE_TRANSPORT=provider'): string => {
    const value = read(name);
    if (value === undefined) problems.push(`${name} ${message}`);
    return value ?? '';
  };
  const optionalUrl = (name: string): string | undefined => {
    const value = read(name);
    if (value !== undefined && !isUrl(value)) problems.push(`${name} must be an http(s) URL`);
    return value;
  };
  const sesRegion = required('SES_REGION');
  const sesFrom = required('SES_FROM');
  const sesEndpoint = optionalUrl('SES_ENDPOINT');
  const accountSid = required('TWILIO_ACCOUNT_SID');
  if (accountSid && !/^AC[0-9a-fA-F]{32}$/.test(accountSid))
    problems.push('TWILIO_ACCOUNT_SID must be AC followed by 32 hex digits');
  const authToken = required('TWILIO_AUTH_TOKEN');
  const twilioFrom = required('TWILIO_FROM');
  if (twilioFrom && !/^\+[1-9]\d{6,14}$/.test(twilioFrom))
    problems.push('TWILIO_FROM must be an E.164 phone number');
  const twilioBaseUrl = optionalUrl('TWILIO_BASE_URL');
  if (problems.length > 0) throw new NotificationsConfigError(problems);

  return {
    mode: 'provider',
    ses: { region: sesRegion, from: sesFrom, ...(sesEndpoint ? { endpoint: sesEndpoint } : {}) },
    twilio: { accountSid, authToken, from: twilioFrom, ...(twilioBaseUrl ? { baseUrl: twilioBaseUrl } : {}) },
  };
}
