/** Injection tokens for the ledger's ports. */
export const EVENT_STORE = Symbol('EVENT_STORE');
export const LEDGER_CONFIG = Symbol('LEDGER_CONFIG');
