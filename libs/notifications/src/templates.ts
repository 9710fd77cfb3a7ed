import { PermanentDeliveryError, PERMANENT_DELIVERY_CODES } from './delivery-errors';
import type { Channel } from './message';

export const LANGUAGES = ['en', 'sv'] as const;
export type Language = (typeof LANGUAGES)[number];

export interface RenderedMessage {
  subject: string;
  body: string;
}

export interface RenderedTemplate extends RenderedMessage {
  /** The language the text is actually in (English when the template has none of the one asked for). */
  language: Language;
}

export interface RenderContext {
  channel: Channel;
}

type Renderer<R extends string, O extends string> = (
  data: Record<R, string> & Partial<Record<O, string>>,
  context: RenderContext,
) => RenderedMessage;

interface TemplateSpec<R extends string, O extends string> {
  required: readonly R[];
  optional?: readonly O[];
  /** English is the fallback for every language a template has no text for. */
  en: Renderer<R, O>;
  sv?: Renderer<R, O>;
}

type ErasedRenderer = (data: Record<string, string>, context: RenderContext) => RenderedMessage;

interface TemplateDefinition {
  required: readonly string[];
  renderers: { en: ErasedRenderer } & Partial<Record<Language, ErasedRenderer>>;
}

/** Keeps each template's data keys typed where it is written; the registry below only sees strings. */
function template<R extends string, O extends string = never>(spec: TemplateSpec<R, O>): TemplateDefinition {
  // renderTemplate checks every required key before calling, which is what makes this widening safe.
  const erase =
    (renderer: Renderer<R, O>): ErasedRenderer =>
    (data, context) =>
      renderer(data as Record<R, string> & Partial<Record<O, string>>, context);
  return {
    required: spec.required,
    renderers: { en: erase(spec.en), ...(spec.sv ? { sv: erase(spec.sv) } : {}) },
  };
}

/**
 * An OTP read out by text-to-speech: "123456" would be spoken as "one hundred twenty-three
 * thousand…", so the digits are separated to be read one by one.
 */
export function spokenDigits(code: string): string {
  return Array.from(code.replace(/\s+/g, '')).join(', ');
}

/** SMS shows the code as typed; voice spells it out digit by digit. */
function codeFor(code: string, context: RenderContext): string {
  return context.channel === 'voice' ? spokenDigits(code) : code;
}

function greeting(hello: string, firstName: string | undefined): string {
  return firstName ? `${hello} ${firstName},` : `${hello},`;
}

export const TEMPLATES = {
  account_welcome: template({
    required: ['firstName'],
    en: ({ firstName }) => ({
      subject: 'Welcome to Ticketry',
      body: `${greeting('Hi', firstName)}\n\nYour Ticketry account is ready. You can now buy tickets and find all your orders in one place.\n\n/Ticketry`,
    }),
    sv: ({ firstName }) => ({
      subject: 'Välkommen till Ticketry',
      body: `${greeting('Hej', firstName)}\n\nDitt Ticketry-konto är klart. Nu kan du köpa biljetter och se alla dina ordrar på ett ställe.\n\n/Ticketry`,
    }),
  }),
  guest_account_claim: template({
    required: ['link'],
    optional: ['firstName'],
    en: ({ link, firstName }) => ({
      subject: 'Claim your Ticketry account',
      body: `${greeting('Hi', firstName)}\n\nYou bought tickets with this e-mail address. Choose a password to see all your orders and tickets in one place:\n\n${link}\n\nIf this was not you, ignore this e-mail.\n\n/Ticketry`,
    }),
    sv: ({ link, firstName }) => ({
      subject: 'Aktivera ditt Ticketry-konto',
      body: `${greeting('Hej', firstName)}\n\nDu har köpt biljetter med den här e-postadressen. Välj ett lösenord för att se alla dina ordrar och biljetter på ett ställe:\n\n${link}\n\nOm det inte var du kan du bortse från det här mejlet.\n\n/Ticketry`,
    }),
  }),
  phone_verification_code: template({
    required: ['code'],
    optional: ['validMinutes'],
    en: ({ code, validMinutes = '10' }, context) => ({
      subject: 'Your Ticketry verification code',
      body: `Your Ticketry verification code is ${codeFor(code, context)}. It is valid for ${validMinutes} minutes.`,
    }),
    sv: ({ code, validMinutes = '10' }, context) => ({
      subject: 'Din verifieringskod från Ticketry',
      body: `Din verifieringskod från Ticketry är ${codeFor(code, context)}. Den gäller i ${validMinutes} minuter.`,
    }),
  }),
  step_up_code: template({
    required: ['code'],
    optional: ['validMinutes'],
    en: ({ code, validMinutes = '10' }, context) => ({
      subject: 'Your Ticketry security code',
      body: `Your Ticketry security code is ${codeFor(code, context)}. It is valid for ${validMinutes} minutes. Never share it: Ticketry will never ask you for it.`,
    }),
    sv: ({ code, validMinutes = '10' }, context) => ({
      subject: 'Din säkerhetskod från Ticketry',
      body: `Din säkerhetskod från Ticketry är ${codeFor(code, context)}. Den gäller i ${validMinutes} minuter. Dela den aldrig: Ticketry frågar aldrig efter den.`,
    }),
  }),
  password_reset: template({
    required: ['link'],
    optional: ['firstName'],
    en: ({ link, firstName }) => ({
      subject: 'Reset your Ticketry password',
      body: `${greeting('Hi', firstName)}\n\nUse this link to choose a new password. It works once and for one hour:\n\n${link}\n\nIf you did not ask for this, ignore this e-mail; your password stays as it is.\n\n/Ticketry`,
    }),
    sv: ({ link, firstName }) => ({
      subject: 'Återställ ditt lösenord för Ticketry',
      body: `${greeting('Hej', firstName)}\n\nAnvänd länken för att välja ett nytt lösenord. Den fungerar en gång och i en timme:\n\n${link}\n\nOm du inte bad om detta kan du bortse från mejlet; ditt lösenord är oförändrat.\n\n/Ticketry`,
    }),
  }),
  order_receipt: template({
    // `total` arrives formatted ("SEK 450.00"): money formatting belongs to the caller, which knows the market.
    // `tickets`: one check-in code per line (ORD-2: the tickets travel with the receipt).
    required: ['confirmationNumber', 'eventTitle', 'total'],
    optional: ['firstName', 'link', 'tickets'],
    en: ({ confirmationNumber, eventTitle, total, firstName, link, tickets }) => ({
      subject: `Your tickets for ${eventTitle} (order ${confirmationNumber})`,
      body: `${greeting('Hi', firstName)}\n\nThank you for your order ${confirmationNumber} for ${eventTitle}.\nTotal paid: ${total}.${tickets ? `\n\nTicket codes:\n${tickets}` : ''}${link ? `\n\nYour tickets: ${link}` : ''}\n\n/Ticketry`,
    }),
    sv: ({ confirmationNumber, eventTitle, total, firstName, link, tickets }) => ({
      subject: `Dina biljetter till ${eventTitle} (order ${confirmationNumber})`,
      body: `${greeting('Hej', firstName)}\n\nTack för din order ${confirmationNumber} till ${eventTitle}.\nBetalt totalt: ${total}.${tickets ? `\n\nBiljettkoder:\n${tickets}` : ''}${link ? `\n\nDina biljetter: ${link}` : ''}\n\n/Ticketry`,
    }),
  }),
  order_not_completed: template({
    // An order answered 202 `pending` that was later given up (hold expired, payment declined).
    required: ['eventTitle', 'reason'],
    optional: ['firstName'],
    en: ({ eventTitle, reason, firstName }) => ({
      subject: `Your order for ${eventTitle} was not completed`,
      body: `${greeting('Hi', firstName)}\n\nYour order for ${eventTitle} could not be completed (${reason === 'payment_failed' ? 'the payment was declined' : 'the payment was not confirmed in time'}). No money has been taken and no tickets were issued; the seats are back on sale.\n\n/Ticketry`,
    }),
    sv: ({ eventTitle, reason, firstName }) => ({
      subject: `Din order till ${eventTitle} genomfördes inte`,
      body: `${greeting('Hej', firstName)}\n\nDin order till ${eventTitle} kunde inte genomföras (${reason === 'payment_failed' ? 'betalningen nekades' : 'betalningen bekräftades inte i tid'}). Inga pengar har dragits och inga biljetter har utfärdats; platserna är till salu igen.\n\n/Ticketry`,
    }),
  }),
  ticket_received: template({
    // ORD-7: a transferred ticket reaches its new holder with the new code; the old one is dead.
    required: ['eventTitle', 'code', 'fromName'],
    optional: ['firstName'],
    en: ({ eventTitle, code, fromName, firstName }) => ({
      subject: `${fromName} sent you a ticket for ${eventTitle}`,
      body: `${greeting('Hi', firstName)}\n\n${fromName} transferred a ticket for ${eventTitle} to you.\nYour ticket code: ${code}\n\n/Ticketry`,
    }),
    sv: ({ eventTitle, code, fromName, firstName }) => ({
      subject: `${fromName} har skickat en biljett till ${eventTitle} till dig`,
      body: `${greeting('Hej', firstName)}\n\n${fromName} har överlåtit en biljett till ${eventTitle} till dig.\nDin biljettkod: ${code}\n\n/Ticketry`,
    }),
  }),
  /** Text written elsewhere (a marketing message from the consent hub): passed through as given. */
  generic: template({
    required: ['subject', 'body'],
    en: ({ subject, body }) => ({ subject, body }),
  }),
} satisfies Record<string, TemplateDefinition>;

export type TemplateName = keyof typeof TEMPLATES;

export function isTemplateName(name: string): name is TemplateName {
  return Object.prototype.hasOwnProperty.call(TEMPLATES, name);
}

/** "sv-SE", "SV", "sv_FI" → "sv"; anything without texts of its own → "en". */
export function resolveLanguage(language: string | undefined): Language {
  const primary = (language ?? '').trim().toLowerCase().split(/[-_]/)[0];
  return (LANGUAGES as readonly string[]).includes(primary) ? (primary as Language) : 'en';
}

/**
 * Both failures are PermanentDeliveryError: a caller that retries a message with an unknown
 * template or missing data would fail the same way forever, so it must dead-letter it instead.
 */
export function renderTemplate(
  template: string,
  data: Record<string, string>,
  language?: string,
  channel: Channel = 'email',
): RenderedTemplate {
  if (!isTemplateName(template)) {
    throw new PermanentDeliveryError(
      PERMANENT_DELIVERY_CODES.templateUnknown,
      `Unknown message template "${template}".`,
      {
        transport: 'templates',
      },
    );
  }
  const definition: TemplateDefinition = TEMPLATES[template];
  for (const key of definition.required) {
    const value = data[key];
    if (value === undefined || value.trim() === '') {
      throw new PermanentDeliveryError(
        PERMANENT_DELIVERY_CODES.templateDataMissing,
        `Template "${template}" needs data "${key}".`,
        { transport: 'templates' },
      );
    }
  }
  const wanted = resolveLanguage(language);
  const used: Language = definition.renderers[wanted] ? wanted : 'en';
  const renderer = definition.renderers[used] ?? definition.renderers.en;
  return { ...renderer(data, { channel }), language: used };
}
