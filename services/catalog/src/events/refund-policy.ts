import { DomainError } from '@ticketry/platform';

/**
 * CAT-3: a paid event must publish a refund policy that meets the minimum requirements of the
 * organizer terms ("Arrangørens krav i forbindelse med refusionspolitikken", 1.1 Minimumskrav):
 *
 *  1. shown on the event page                      → GET /v1/events/{id} returns `refundPolicy`
 *  2. "no refunds" only if stated clearly          → `no_refunds_not_stated` (text must say so)
 *  3. refund or other compensation when the
 *     advertised goods/services are not delivered  → guaranteed structurally, see `nonDeliveryGuarantee`;
 *                                                     a text that denies it → `denies_non_delivery_compensation`
 *  5. how, when and where to ask                   → `contact_missing` (where/how), `days_before_*` (when)
 *  6. changes never retroactive                    → versioning in the service (each order keeps its version)
 *  7. answer within at most 7 business days        → `response_time_too_long`, `response_time_invalid`
 *  8. fair and reasonable                          → text length bounds and a sensible `daysBefore`;
 *                                                     the rest is for the platform's review (CAT-4)
 *  4 (complies with the law) cannot be checked by code.
 *
 * `refundPolicyProblems` lists what is wrong (empty = compliant). The caller decides what to do with a
 * non-compliant policy, as CAT-3 allows both ("rejected or replaced by a compliant default"):
 *  - an organizer publishing or editing an event → reject: throw `RefundPolicyNoncompliantError`
 *    (422 `refund_policy_noncompliant`, the problems in `extra.problems`), so the organizer fixes it;
 *  - no organizer to ask (an import, a platform_admin correcting a published event, a policy found
 *    non-compliant after the fact) → replace with `compliantDefaultPolicy(language)` as a *new version*,
 *    which applies to later purchases only (requirement 6).
 *
 * Free events: CAT-3 says "A paid event must publish…", and the source terms apply the requirements to
 * "Arrangører af betalingsevents" (organizers of paid events). There is nothing to refund on a free
 * ticket, so `refundPolicyProblems(policy, { paid: false })` is always empty, whatever the policy says.
 * An event is paid as soon as one ticket type has a price above zero: the service re-checks the
 * policy when a priced ticket type is added or a price changes from zero, and at publish.
 */

export type RefundPolicyKind = 'no_refunds' | 'until_days_before' | 'custom';

export const REFUND_POLICY_KINDS: readonly RefundPolicyKind[] = Object.freeze([
  'no_refunds',
  'until_days_before',
  'custom',
]);

/** The shape of api.md POST /v1/events `refundPolicy`. */
export interface RefundPolicy {
  kind: RefundPolicyKind;
  /** `until_days_before` only: refunds may be requested until this many days before the event starts. */
  daysBefore?: number;
  /** The organizer's wording, shown on the event page. */
  text: string;
  /** The promised time to answer a refund request (requirement 7: at most 7 business days). */
  responseBusinessDays: number;
  /** Where and how to ask: an e-mail address, a URL, a phone number, or an instruction. */
  contact: string;
}

/** Stable codes; part of the problem+json `extra.problems` of `refund_policy_noncompliant`. */
export type RefundPolicyProblemCode =
  | 'refund_policy_missing'
  | 'kind_invalid'
  | 'text_too_short'
  | 'text_too_long'
  | 'no_refunds_not_stated'
  | 'denies_non_delivery_compensation'
  | 'contact_missing'
  | 'contact_too_long'
  | 'response_time_invalid'
  | 'response_time_too_long'
  | 'days_before_missing'
  | 'days_before_invalid'
  | 'days_before_not_applicable';

export interface RefundPolicyProblem {
  code: RefundPolicyProblemCode;
  /** The `refundPolicy` field at fault ('' for the whole policy). */
  field: string;
  message: string;
}

/** Requirement 7: a refund request is answered within at most 7 business days. */
export const MAX_RESPONSE_BUSINESS_DAYS = 7;
/** A policy must say something: a headline alone ("No refunds.") is 11 characters, so 20 asks for a sentence. */
export const MIN_TEXT_LENGTH = 20;
/** The DTO's limit; longer texts are not read by anyone, which is not "clear" (requirements 2 and 5). */
export const MAX_TEXT_LENGTH = 5000;
export const MAX_CONTACT_LENGTH = 300;
/**
 * `until_days_before`: 0 would mean "until the event starts", which is the consumer-friendliest and
 * allowed; more than a year before is a disguised "no refunds" (not stated clearly, requirement 2).
 */
export const MIN_DAYS_BEFORE = 0;
export const MAX_DAYS_BEFORE = 365;

/**
 * Phrases that state "no refunds" clearly, in the languages of our markets (markets.ts). Matched on the
 * lower-cased text, at the start of a word (`casino refund` does not contain `no refund`).
 */
const NO_REFUNDS_PHRASES: readonly string[] = [
  // en
  'no refund',
  'non-refundable',
  'nonrefundable',
  'non refundable',
  'not refundable',
  'not be refunded',
  'cannot be refunded',
  "can't be refunded",
  'are not refunded',
  'is not refunded',
  'will not be refunded',
  // sv
  'ingen återbetalning',
  'inga återbetalningar',
  'återbetalas inte',
  'återbetalas ej',
  'ej återbetalningsbar',
  'inte återbetalningsbar',
  // da / nb
  'ingen refusion',
  'ingen refusjon',
  'refunderes ikke',
  'ingen tilbagebetaling',
  'ingen tilbakebetaling',
  'tilbagebetales ikke',
  'tilbakebetales ikke',
  'ikke refunderbar',
  // fi
  'ei palauteta',
  'ei hyvitetä',
  'ei palautusoikeutta',
  'palautusoikeutta ei ole',
  // de
  'keine rückerstattung',
  'keine erstattung',
  'nicht erstattungsfähig',
  'nicht erstattet',
  'nicht zurückerstattet',
  // nl
  'geen restitutie',
  'geen terugbetaling',
  'niet terugbetaald',
  'niet restitueerbaar',
  // fr
  'aucun remboursement',
  'pas de remboursement',
  'non remboursable',
  'non-remboursable',
  'ne sont pas remboursés',
  'ne seront pas remboursés',
  // es
  'sin reembolso',
  'no reembolsable',
  'no se reembolsa',
  'no hay reembolso',
  // it
  'nessun rimborso',
  'non rimborsabil',
  'non sono rimborsat',
  'non verranno rimborsat',
  // pl
  'brak zwrotu',
  'bez zwrotu',
  'nie podlega zwrotowi',
  'nie podlegają zwrotowi',
  // pt
  'sem reembolso',
  'não reembolsável',
  'não reembolsáveis',
  'não há reembolso',
  'não são reembolsad',
];

/**
 * Phrases that deny compensation even when the event is not delivered as advertised (requirement 3).
 * Best effort: the guarantee does not depend on catching them (the platform refunds a cancelled event,
 * CAT-8/REF-7, and shows `nonDeliveryGuarantee` under every policy), but a page must not contradict it.
 */
const DENIES_NON_DELIVERY_PHRASES: readonly string[] = [
  // en
  'even if the event is cancel',
  'even if the event is postpone',
  'even if the event is not held',
  'even if cancel',
  'even in case of cancel',
  'even if it is cancel',
  'under any circumstances',
  'under no circumstances',
  'for any reason whatsoever',
  // sv
  'även om evenemanget ställs in',
  'även vid inställt',
  'under inga omständigheter',
  'oavsett anledning',
  // da
  'selv hvis arrangementet aflyses',
  'selv ved aflysning',
  'under ingen omstændigheder',
  'uanset årsag',
  // nb
  'selv om arrangementet avlyses',
  'selv ved avlysning',
  'under ingen omstendigheter',
  'uansett årsak',
  // fi
  'vaikka tapahtuma peruttaisiin',
  'vaikka tapahtuma peruttaisi',
  'missään tilanteessa',
  // de
  'auch bei absage',
  'auch wenn die veranstaltung abgesagt',
  'unter keinen umständen',
  // nl
  'ook bij annulering',
  'ook als het evenement wordt geannuleerd',
  'in geen geval',
  'onder geen enkele omstandigheid',
];

function normalise(text: string): string {
  return text.toLocaleLowerCase('en').replace(/[’‘]/g, "'").replace(/\s+/g, ' ');
}

/** True when `phrase` occurs in `text` at the start of a word (the previous character is not a letter). */
function containsPhrase(text: string, phrase: string): boolean {
  let from = 0;
  for (;;) {
    const at = text.indexOf(phrase, from);
    if (at < 0) return false;
    if (at === 0 || !/\p{L}/u.test(text[at - 1])) return true;
    from = at + 1;
  }
}

/** Requirement 2: the text itself says "no refunds" in so many words (one of the phrases above). */
export function statesNoRefundsClearly(text: string): boolean {
  const normalised = normalise(text);
  return NO_REFUNDS_PHRASES.some((phrase) => containsPhrase(normalised, phrase));
}

/** Requirement 3, best effort: the text refuses compensation even if the event is not delivered. */
export function deniesNonDeliveryCompensation(text: string): boolean {
  const normalised = normalise(text);
  return DENIES_NON_DELIVERY_PHRASES.some((phrase) => containsPhrase(normalised, phrase));
}

function isInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isInteger(value);
}

function problem(code: RefundPolicyProblemCode, field: string, message: string): RefundPolicyProblem {
  return { code, field, message };
}

/**
 * CAT-3 (paidEventMustPublishCompliantRefundPolicy): what is wrong with `policy` for an event; empty when
 * it meets the minimum requirements, or when the event is free (see the file comment). Every problem is
 * reported, not just the first, so the organizer can fix them in one go. Tolerates malformed input (a
 * stored JSON policy from before a rule existed) rather than throwing.
 */
export function refundPolicyProblems(
  policy: RefundPolicy | null | undefined,
  event: { paid: boolean },
): RefundPolicyProblem[] {
  if (!event.paid) return [];
  if (policy === null || policy === undefined || typeof policy !== 'object') {
    return [problem('refund_policy_missing', '', 'A paid event must publish a refund policy (CAT-3).')];
  }
  const problems: RefundPolicyProblem[] = [];

  if (!REFUND_POLICY_KINDS.includes(policy.kind)) {
    problems.push(problem('kind_invalid', 'kind', `kind must be one of ${REFUND_POLICY_KINDS.join(', ')}.`));
  }

  const text = typeof policy.text === 'string' ? policy.text.trim() : '';
  if (text.length < MIN_TEXT_LENGTH) {
    problems.push(
      problem(
        'text_too_short',
        'text',
        `The policy text must explain the policy in at least ${MIN_TEXT_LENGTH} characters.`,
      ),
    );
  } else if (text.length > MAX_TEXT_LENGTH) {
    problems.push(
      problem('text_too_long', 'text', `The policy text may be at most ${MAX_TEXT_LENGTH} characters.`),
    );
  }
  if (policy.kind === 'no_refunds' && !statesNoRefundsClearly(text)) {
    problems.push(
      problem(
        'no_refunds_not_stated',
        'text',
        'A "no refunds" policy must say clearly in its text that tickets are not refunded.',
      ),
    );
  }
  if (deniesNonDeliveryCompensation(text)) {
    problems.push(
      problem(
        'denies_non_delivery_compensation',
        'text',
        'Every policy, "no refunds" included, must allow a refund or other compensation when the event ' +
          'is not delivered as advertised (e.g. cancelled); the text must not exclude that.',
      ),
    );
  }

  const contact = typeof policy.contact === 'string' ? policy.contact.trim() : '';
  if (contact.length === 0) {
    problems.push(
      problem('contact_missing', 'contact', 'The policy must say where and how to ask for a refund.'),
    );
  } else if (contact.length > MAX_CONTACT_LENGTH) {
    problems.push(
      problem('contact_too_long', 'contact', `contact may be at most ${MAX_CONTACT_LENGTH} characters.`),
    );
  }

  const days = policy.responseBusinessDays;
  if (!isInteger(days) || days < 1) {
    problems.push(
      problem(
        'response_time_invalid',
        'responseBusinessDays',
        'responseBusinessDays must be a whole number of business days, at least 1.',
      ),
    );
  } else if (days > MAX_RESPONSE_BUSINESS_DAYS) {
    problems.push(
      problem(
        'response_time_too_long',
        'responseBusinessDays',
        `Refund requests must be answered within at most ${MAX_RESPONSE_BUSINESS_DAYS} business days.`,
      ),
    );
  }

  const daysBefore = policy.daysBefore;
  if (policy.kind === 'until_days_before') {
    if (daysBefore === undefined || daysBefore === null) {
      problems.push(
        problem(
          'days_before_missing',
          'daysBefore',
          'An "until days before" policy must say until how many days before the event one can ask.',
        ),
      );
    } else if (!isInteger(daysBefore) || daysBefore < MIN_DAYS_BEFORE || daysBefore > MAX_DAYS_BEFORE) {
      problems.push(
        problem(
          'days_before_invalid',
          'daysBefore',
          `daysBefore must be a whole number from ${MIN_DAYS_BEFORE} to ${MAX_DAYS_BEFORE}.`,
        ),
      );
    }
  } else if (daysBefore !== undefined && daysBefore !== null) {
    problems.push(
      problem(
        'days_before_not_applicable',
        'daysBefore',
        'daysBefore applies only to an "until_days_before" policy; leave it out, or say it in the text.',
      ),
    );
  }

  return problems;
}

/** 422 `refund_policy_noncompliant` (api.md POST /v1/events/{id}/publish, CAT-3), the problems in `extra`. */
export class RefundPolicyNoncompliantError extends DomainError {
  constructor(readonly problems: RefundPolicyProblem[]) {
    super(
      'refund_policy_noncompliant',
      'The refund policy does not meet the minimum requirements (CAT-3).',
      422,
      { problems },
    );
  }
}

/** CAT-3: throws RefundPolicyNoncompliantError unless the policy is compliant (or the event is free). */
export function assertRefundPolicyCompliant(
  policy: RefundPolicy | null | undefined,
  event: { paid: boolean },
): void {
  const problems = refundPolicyProblems(policy, event);
  if (problems.length > 0) throw new RefundPolicyNoncompliantError(problems);
}

interface DefaultWording {
  text: string;
  contact: string;
  nonDelivery: string;
}

/**
 * The default's wording per language. The default is the *least* a policy may be (requirements 2, 3, 5,
 * 7): no refunds on request, a refund when the event is cancelled or not delivered as advertised, an
 * answer within 7 business days, and — the policy having no contact of its own — the event page's
 * "contact the organizer" button, which is where the terms (1.2) send the consumer in that case. It
 * promises nothing the organizer did not agree to beyond what CAT-3 demands anyway.
 */
const DEFAULT_WORDING: Readonly<Record<string, DefaultWording>> = Object.freeze({
  en: {
    text:
      'No refunds: tickets are not refunded on request. If the event is cancelled or not delivered as ' +
      'advertised, you get a refund of the ticket price. Ask the organizer using the contact below; ' +
      'you will get an answer within 7 business days.',
    contact: 'The "Contact the organizer" button on the event page',
    nonDelivery:
      'Whatever this policy says, if the event is cancelled or not delivered as advertised you are ' +
      'entitled to a refund of the ticket price or other compensation.',
  },
  sv: {
    text:
      'Ingen återbetalning: biljetter återbetalas inte på begäran. Om evenemanget ställs in eller inte ' +
      'genomförs som utlovat får du tillbaka biljettpriset. Kontakta arrangören via kontaktuppgiften ' +
      'nedan; du får svar inom 7 arbetsdagar.',
    contact: 'Knappen "Kontakta arrangören" på evenemangssidan',
    nonDelivery:
      'Oavsett vad policyn säger har du rätt till återbetalning av biljettpriset eller annan ' +
      'kompensation om evenemanget ställs in eller inte genomförs som utlovat.',
  },
  da: {
    text:
      'Ingen refusion: billetter refunderes ikke efter ønske. Hvis arrangementet aflyses eller ikke ' +
      'leveres som annonceret, får du billetprisen refunderet. Kontakt arrangøren via kontakten ' +
      'nedenfor; du får svar inden for 7 hverdage.',
    contact: 'Knappen "Kontakt arrangøren" på eventsiden',
    nonDelivery:
      'Uanset hvad politikken siger, har du ret til refusion af billetprisen eller anden kompensation, ' +
      'hvis arrangementet aflyses eller ikke leveres som annonceret.',
  },
  nb: {
    text:
      'Ingen refusjon: billetter refunderes ikke på forespørsel. Hvis arrangementet avlyses eller ikke ' +
      'gjennomføres som annonsert, får du billettprisen tilbake. Kontakt arrangøren via kontakten ' +
      'nedenfor; du får svar innen 7 virkedager.',
    contact: 'Knappen "Kontakt arrangøren" på arrangementssiden',
    nonDelivery:
      'Uansett hva retningslinjene sier, har du rett til refusjon av billettprisen eller annen ' +
      'kompensasjon hvis arrangementet avlyses eller ikke gjennomføres som annonsert.',
  },
  fi: {
    text:
      'Lippuja ei palauteta pyynnöstä. Jos tapahtuma perutaan tai sitä ei toteuteta ilmoitetulla ' +
      'tavalla, saat lipun hinnan takaisin. Ota yhteyttä järjestäjään alla olevan yhteystiedon kautta; ' +
      'saat vastauksen 7 arkipäivän kuluessa.',
    contact: 'Tapahtumasivun "Ota yhteyttä järjestäjään" -painike',
    nonDelivery:
      'Ehdoista riippumatta sinulla on oikeus saada lipun hinta takaisin tai muu hyvitys, jos tapahtuma ' +
      'perutaan tai sitä ei toteuteta ilmoitetulla tavalla.',
  },
  de: {
    text:
      'Keine Rückerstattung: Tickets werden auf Wunsch nicht erstattet. Wird die Veranstaltung abgesagt ' +
      'oder nicht wie angekündigt durchgeführt, erhältst du den Ticketpreis zurück. Wende dich über den ' +
      'unten genannten Kontakt an den Veranstalter; du erhältst innerhalb von 7 Werktagen eine Antwort.',
    contact: 'Die Schaltfläche "Veranstalter kontaktieren" auf der Veranstaltungsseite',
    nonDelivery:
      'Unabhängig von dieser Richtlinie hast du Anspruch auf Erstattung des Ticketpreises oder eine ' +
      'andere Entschädigung, wenn die Veranstaltung abgesagt oder nicht wie angekündigt durchgeführt wird.',
  },
  nl: {
    text:
      'Geen restitutie: tickets worden op verzoek niet terugbetaald. Als het evenement wordt geannuleerd ' +
      'of niet doorgaat zoals aangekondigd, krijg je de ticketprijs terug. Neem contact op met de ' +
      'organisator via het contact hieronder; je krijgt binnen 7 werkdagen antwoord.',
    contact: 'De knop "Contact met de organisator" op de evenementpagina',
    nonDelivery:
      'Wat dit beleid ook zegt: als het evenement wordt geannuleerd of niet doorgaat zoals aangekondigd, ' +
      'heb je recht op terugbetaling van de ticketprijs of een andere vergoeding.',
  },
});

/** Languages with their own default wording; any other language gets English. */
export const DEFAULT_POLICY_LANGUAGES: readonly string[] = Object.freeze(Object.keys(DEFAULT_WORDING));

function wordingFor(language: string): DefaultWording {
  const base = (language ?? '').toLowerCase().split(/[-_]/)[0];
  // Norwegian: `no` and `nn` read the Bokmål text rather than English.
  const key = base === 'no' || base === 'nn' ? 'nb' : base;
  return DEFAULT_WORDING[key] ?? DEFAULT_WORDING.en;
}

/**
 * CAT-3's "compliant default": a `no_refunds` policy that meets every minimum requirement, in the
 * event's language (markets.ts `language`; unknown languages get English). When a caller replaces a
 * policy with it, it is stored as a new policy version, so earlier orders keep theirs.
 */
export function compliantDefaultPolicy(language: string): RefundPolicy {
  const wording = wordingFor(language);
  return {
    kind: 'no_refunds',
    text: wording.text,
    responseBusinessDays: MAX_RESPONSE_BUSINESS_DAYS,
    contact: wording.contact,
  };
}

/**
 * Requirement 3, the structural guarantee: the sentence the event page shows under *every* refund
 * policy (GET /v1/events/{id} may return it beside `refundPolicy`). It holds whatever the organizer
 * writes, because the platform itself refunds the face value when an event is cancelled (CAT-8, REF-7)
 * and may refund when the event differs materially from its description or cannot be attended (REF-6);
 * so a policy text need not repeat it, only not deny it (`denies_non_delivery_compensation`).
 */
export function nonDeliveryGuarantee(language: string): string {
  return wordingFor(language).nonDelivery;
}
