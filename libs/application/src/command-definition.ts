import { Actor, Decider, DomainEvent, RecordedEvent, Role } from '../../domain/src/shared';
import type { CentreActivity } from './counties/centre-activity';
import type { Refusal } from './error-codes';
import type { NothingAfter } from '../../event-store/src/port';

/** Read-only access to other streams while preparing a command (e.g. the centre's county). */
export interface CommandIO {
  // `evolve` is typed loosely: a stream's decider knows its own event union.
  load<S>(streamId: string, decider: { initialState: () => S; evolve: (state: S, event: any) => S }): Promise<{ state: S; revision: number }>;
  /**
   * What other streams have recorded for a centre (the close-centre rule's cross-stream read). The
   * command path always provides it; an IO made for another purpose (e.g. to authorize) may not.
   */
  centreActivity?: CentreActivity;
  /**
   * Every recorded event of these (rare) types, in log order, across all streams: for the uniqueness
   * rules (county numbers, organisation numbers; see events-of-types.ts). The command path provides it.
   * `relevant`: which of them the decision rests on (the same number, another id); one of those
   * recorded meanwhile makes the append decide again (see handleCommand's decisionIo).
   */
  eventsOfTypes?: (types: readonly string[], relevant?: (data: unknown) => boolean) => Promise<readonly RecordedEvent[]>;
  /**
   * The decision rests on the log as it was at `after` (a snapshot the route computed, e.g. the
   * eligibility an allocation follows): its append is refused if something that `affects` it was
   * recorded since. The command path provides it.
   */
  relyOn?: (condition: NothingAfter) => void;
}

/**
 * One entry per command: the single registry that HTTP, the CLI's `import` and tests all use.
 * `payload` is a class-validator DTO; `toCommand` maps it to the domain command.
 */
export interface CommandDefinition<P extends object = any, C = any, E extends DomainEvent = any, S = any> {
  name: string;
  summary: string;
  payload: new () => P;
  /** Roles that may issue the command at all (deny by default). */
  roles: Role[];
  /**
   * Which of `roles` a caller holding more than one acts in, chosen from the payload and the caller
   * (recorded as the events' `actorRole`). Used only when the caller holds the role it names; by default
   * (and otherwise) the first of `roles` the caller holds, whatever the order of the token's roles claim.
   */
  actingRole?: (payload: P, actor: Omit<Actor, 'actingRole'>) => Role;
  stream: (payload: P) => string;
  decider: Decider<C, E, S>;
  toCommand: (payload: P, io: CommandIO, actor: Actor) => Promise<C> | C;
  /**
   * Object-level access, checked in the command path for every caller (HTTP, CLI, tests):
   * throw a `forbidden` DomainError when this actor may not act on this object.
   */
  authorize: (actor: Actor, payload: P, io: CommandIO) => Promise<void> | void;
  /**
   * Every stable code the command's own rules can refuse it with (its toCommand, authorize and
   * decider), beyond what the command path refuses any command with (COMMAND_PATH_REFUSALS) and its
   * payload's text rules: the OpenAPI document lists them on the command's route. A code answered
   * with more than one status names the one that applies: ['BOARD.NOT_A_MEMBER', 404].
   */
  refusals: readonly Refusal[];
  /** Schema version per event type this command writes (default 1). */
  schemaVersions?: Record<string, number>;
  /**
   * What an Idempotency-Key's retry must repeat (default: the whole payload). Set it when the route
   * adds fields the server computes (e.g. an eligibility snapshot): they move between a request and
   * its retry, and the client never sent them.
   */
  idempotencyPayload?: (payload: P) => unknown;
  /**
   * Set when only the HTTP route may issue the command, because the route computes part of the
   * payload the decider trusts: `ledger import` refuses such a line and names the route.
   */
  httpOnly?: { route: string; why: string };
}

export type AnyCommandDefinition = CommandDefinition<any, any, any, any>;

export const defineCommand = <P extends object, C, E extends DomainEvent, S>(d: CommandDefinition<P, C, E, S>): CommandDefinition<P, C, E, S> => d;
