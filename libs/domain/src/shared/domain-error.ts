/**
 * How a refusal maps to HTTP, decided once here so every edge agrees:
 * invalid → 400, unauthenticated → 401, forbidden → 403, not-found → 404, conflict → 409,
 * rule → 422 (understood, but the ledger's rules refuse it), unavailable → 503.
 */
export type DomainErrorKind = 'invalid' | 'unauthenticated' | 'forbidden' | 'not-found' | 'conflict' | 'rule' | 'unavailable';

export const HTTP_STATUS_OF_KIND: Record<DomainErrorKind, number> = {
  invalid: 400,
  unauthenticated: 401,
  forbidden: 403,
  'not-found': 404,
  conflict: 409,
  rule: 422,
  unavailable: 503,
};

/** A refusal with a stable code (e.g. `BOARD.NOT_A_MEMBER`) and a message a finance officer understands. */
export class DomainError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly kind: DomainErrorKind = 'rule',
    readonly details: Record<string, unknown> = {},
  ) {
    super(message);
    this.name = 'DomainError';
  }
}

export const refuse = (code: string, message: string, kind: DomainErrorKind = 'rule', details: Record<string, unknown> = {}): never => {
  throw new DomainError(code, message, kind, details);
};
