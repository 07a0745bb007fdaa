import { Actor, DecideContext, Decider } from './decider';
import { DomainError } from './domain-error';
import { DomainEvent } from './recorded-event';

/**
 * A tiny given/when/then for deciders, free of any test framework (it throws plain Errors, so it
 * works under jest, node:test or a script):
 *
 *   const spec = deciderSpec(centreDecider);
 *   spec.given([registered]).when(rename).then([renamed]);
 *   spec.given([registered, closed]).when(rename).thenThrows('CENTRE.CLOSED', 'rule');
 *   const events = spec.given([]).when(cmd).events(); // for your own assertions
 */

export const TEST_ACTOR: Actor = { id: 'test-actor', name: 'Test Actor', roles: ['admin'], counties: [], actingRole: 'admin' };

/** A fixed, deterministic context: now = 2026-01-15T12:00:00.000Z, ids id-1, id-2, … */
export const testContext = (over: Partial<DecideContext> = {}): DecideContext => {
  let n = 0;
  return { now: '2026-01-15T12:00:00.000Z', newId: () => `id-${++n}`, actor: TEST_ACTOR, ...over };
};

/** Canonical JSON (sorted keys) so comparisons ignore key order but nothing else. */
const canonical = (v: unknown): string => {
  if (v === undefined) return 'undefined';
  if (v === null || typeof v !== 'object') return JSON.stringify(v);
  if (Array.isArray(v)) return `[${v.map(canonical).join(',')}]`;
  const o = v as Record<string, unknown>;
  return `{${Object.keys(o).sort().filter((k) => o[k] !== undefined).map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`).join(',')}}`;
};

export class DeciderSpecFailure extends Error {
  constructor(message: string, readonly expected?: unknown, readonly actual?: unknown) {
    super(message);
    this.name = 'DeciderSpecFailure';
  }
}

const describeOutcome = (run: () => unknown): string => {
  try {
    return `events ${canonical(run())}`;
  } catch (e) {
    return e instanceof DomainError ? `DomainError ${e.code} (${e.kind}): ${e.message}` : `error ${String(e)}`;
  }
};

export interface WhenStep<S, E extends DomainEvent> {
  /** The events decide returned (throws whatever decide throws). */
  events(): E[];
  /** The state after folding the given events and the decided ones. */
  state(): S;
  /** Asserts decide returned exactly these events (deep, key-order-insensitive); returns them. */
  then(expected: E[]): E[];
  /** Asserts decide refused with a DomainError of this code (and kind, if given); returns the error. */
  thenThrows(code: string, kind?: DomainError['kind']): DomainError;
}

export interface GivenStep<C, E extends DomainEvent, S> {
  /** The state folded from the given events. */
  state(): S;
  when(command: C, ctx?: DecideContext): WhenStep<S, E>;
}

export interface DeciderSpec<C, E extends DomainEvent, S> {
  given(events: E[]): GivenStep<C, E, S>;
}

export const deciderSpec = <C, E extends DomainEvent, S>(decider: Decider<C, E, S>, defaultCtx: () => DecideContext = () => testContext()): DeciderSpec<C, E, S> => ({
  given: (history) => {
    const fold = (events: E[]) => events.reduce(decider.evolve, decider.initialState());
    return {
      state: () => fold(history),
      when: (command, ctx) => {
        const run = () => decider.decide(command, fold(history), ctx ?? defaultCtx());
        return {
          events: run,
          state: () => fold([...history, ...run()]),
          then: (expected) => {
            let actual: E[];
            try {
              actual = run();
            } catch (e) {
              throw new DeciderSpecFailure(`expected events ${canonical(expected)} but decide threw ${describeOutcome(() => { throw e; })}`, expected, e);
            }
            if (canonical(actual) !== canonical(expected)) {
              throw new DeciderSpecFailure(`expected events ${canonical(expected)}\n     but got ${canonical(actual)}`, expected, actual);
            }
            return actual;
          },
          thenThrows: (code, kind) => {
            let outcome: unknown;
            try {
              outcome = run();
            } catch (e) {
              if (!(e instanceof DomainError)) throw new DeciderSpecFailure(`expected DomainError ${code} but decide threw ${String(e)}`, code, e);
              if (e.code !== code || (kind !== undefined && e.kind !== kind)) {
                throw new DeciderSpecFailure(`expected DomainError ${code}${kind ? ` (${kind})` : ''} but got ${e.code} (${e.kind}): ${e.message}`, code, e);
              }
              return e;
            }
            throw new DeciderSpecFailure(`expected DomainError ${code} but decide returned events ${canonical(outcome)}`, code, outcome);
          },
        };
      },
    };
  },
});
