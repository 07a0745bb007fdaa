import { DomainEvent } from './recorded-event';

/** What a decision may know about the outside world: passed in so tests can pin it. */
export interface DecideContext {
  /** Business "today" as ISO date-time from the server clock. */
  now: string;
  newId: () => string;
  actor: Actor;
}

export type Role = 'finance-officer' | 'board-member' | 'vox' | 'auditor' | 'admin';
export const ROLES: readonly Role[] = ['finance-officer', 'board-member', 'vox', 'auditor', 'admin'];

export interface Actor {
  id: string;
  name: string;
  roles: Role[];
  /** County ids a finance officer serves. */
  counties: string[];
  /** The role this request acts in (the first of `roles` that the route allows). */
  actingRole: Role;
}

/** The Decider: a stream's rules as three pure functions. */
export interface Decider<C, E extends DomainEvent, S> {
  initialState: () => S;
  evolve: (state: S, event: E) => S;
  decide: (command: C, state: S, ctx: DecideContext) => E[];
}

export const fold = <E extends DomainEvent, S>(decider: Pick<Decider<unknown, E, S>, 'initialState' | 'evolve'>, events: readonly E[]): S =>
  events.reduce(decider.evolve, decider.initialState());

export const assertNever = (x: never): never => {
  throw new Error(`unhandled case: ${JSON.stringify(x)}`);
};
