/**
 * Typed errors with a stable `code` (engineering.md: "the domain throws typed errors … with a stable
 * code"). This library is pure TypeScript and does not import @ticketry/platform (which pulls in Nest),
 * so these extend Error, not AppError. Errors that can only come from bad input carry `status: 400`,
 * which the platform's ProblemFilter answers as a 400 rather than a 500; a service that wants the
 * stable code in the response rethrows them as a DomainError / ValidationFailedError at the edge.
 * CurrencyMismatchError and MoneyOverflowError carry no status: reaching them is a bug (mixed
 * currencies must be refused by validation, PAY-4), so they surface as a logged 500.
 */
export abstract class MoneyError extends Error {
  abstract readonly code: string;

  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

/** An amount that is not a safe integer number of minor units, or a malformed money object. */
export class InvalidMoneyError extends MoneyError {
  readonly code = 'invalid_money';
  readonly status = 400;

  constructor(
    message: string,
    /** The JSON field at fault when parsing (`amountMinor`, `currency`, or '' for the whole value). */
    readonly field = '',
  ) {
    super(message);
  }
}

/** A currency code not in the CURRENCIES table (codes are upper-case ISO-4217, e.g. `SEK`). */
export class UnknownCurrencyError extends MoneyError {
  readonly code = 'unknown_currency';
  readonly status = 400;

  constructor(readonly currency: unknown) {
    super(`Unknown currency ${JSON.stringify(currency)}; expected an upper-case ISO-4217 code we support.`);
  }
}

/** Two amounts in different currencies were combined or compared (no conversion, PAY-4). */
export class CurrencyMismatchError extends MoneyError {
  readonly code = 'currency_mismatch';

  constructor(
    readonly left: string,
    readonly right: string,
  ) {
    super(`Cannot combine ${left} with ${right}; money in different currencies is never mixed.`);
  }
}

/** A result does not fit in a safe integer number of minor units (|x| > Number.MAX_SAFE_INTEGER). */
export class MoneyOverflowError extends MoneyError {
  readonly code = 'money_overflow';

  constructor(
    readonly operation: string,
    readonly currency: string,
  ) {
    super(`${operation} in ${currency} overflows the safe integer range of minor units.`);
  }
}

/** A non-money argument is unusable: a non-integer factor, a zero denominator, bad weights. */
export class InvalidMoneyArgumentError extends MoneyError {
  readonly code = 'invalid_money_argument';
}
