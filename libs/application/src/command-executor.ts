import { Actor, DomainError, Role } from '../../domain/src/shared';
import { EventStore } from '../../event-store/src/port';
import { AnyCommandDefinition } from './command-definition';
import { CommandRegistry } from './command-registry';
import { CentreActivity, centreActivity, historyReader, scanBase, viewBase } from './counties/centre-activity';
import { withCountyHint } from './access';
import { eventsOfTypes } from './events-of-types';
import { answerFromReceipt, CommandOutcome, handleCommand } from './handle-command';
import { ProjectionEngine } from './projection-engine';

/** What an Idempotency-Key may be: 1–200 visible ASCII characters. */
const VALID_KEY = /^[\x21-\x7e]{1,200}$/;

export interface ExecuteRequest {
  command: string;
  payload: object;
  actor: Actor;
  idempotencyKey?: string | null;
  correlationId?: string;
  causationId?: string | null;
}

/**
 * Runs one command for one actor: role check (deny by default), then the command path,
 * then tells the projections and the publisher about what was appended.
 */
export class CommandExecutor {
  /** What other streams hold for a centre, for closing it: from the engine's views when there is an engine, else from the store. */
  private readonly centreActivity: CentreActivity;

  constructor(
    private readonly store: EventStore,
    private readonly registry: CommandRegistry,
    private readonly engine: ProjectionEngine | null,
    private readonly publish: (outcome: CommandOutcome) => void = () => {},
    private readonly clock: () => Date = () => new Date(),
    activity?: CentreActivity,
  ) {
    this.centreActivity = activity ?? centreActivity(engine ? viewBase(engine, store) : scanBase(store), historyReader(store));
  }

  /**
   * The first answer to a keyed request whose body a request check now refuses, when the sender's
   * receipt under the key is of this very request (see answerFromReceipt); else null, and the
   * refusal stands. Records nothing.
   */
  async answerFromReceipt(req: ExecuteRequest): Promise<CommandOutcome | null> {
    const key = req.idempotencyKey;
    if (key === undefined || key === null || !VALID_KEY.test(key) || !req.actor.id) return null;
    const def = this.registry.get(req.command);
    let actingRole: Role | undefined;
    try {
      actingRole = this.actingRole(def, req);
    } catch {
      return null; // a body no check has passed may not be what the command's role rule reads
    }
    if (!actingRole) return null;
    return answerFromReceipt({ store: this.store, clock: this.clock, centreActivity: this.centreActivity }, def, req.payload, { actor: { ...req.actor, actingRole }, idempotencyKey: key });
  }

  private actingRole(def: AnyCommandDefinition, req: ExecuteRequest): Role | undefined {
    // The command's own rule (def.actingRole) or its own order decides, not the order of the token's roles claim (see BOARD in governance/commands.ts).
    const chosen = def.actingRole?.(req.payload, req.actor);
    return chosen !== undefined && def.roles.includes(chosen) && req.actor.roles.includes(chosen) ? chosen : def.roles.find((r) => req.actor.roles.includes(r));
  }

  async execute(req: ExecuteRequest): Promise<CommandOutcome> {
    const def = this.registry.get(req.command);
    const actingRole = this.actingRole(def, req);
    if (!actingRole) {
      throw new DomainError('ACCESS.ROLE_NOT_ALLOWED', `Your role (${req.actor.roles.join(', ') || 'none'}) may not ${def.name}; it needs one of: ${def.roles.join(', ')}.`, 'forbidden', { command: def.name, allowed: [...def.roles] });
    }
    if (req.idempotencyKey !== undefined && req.idempotencyKey !== null && !VALID_KEY.test(req.idempotencyKey)) {
      throw new DomainError('IDEMPOTENCY_KEY_INVALID', 'The Idempotency-Key must be 1–200 visible ASCII characters.', 'invalid');
    }
    let outcome: CommandOutcome;
    try {
      outcome = await handleCommand({ store: this.store, clock: this.clock, centreActivity: this.centreActivity }, def, req.payload, {
        actor: { ...req.actor, actingRole },
        idempotencyKey: req.idempotencyKey ?? null,
        correlationId: req.correlationId,
        causationId: req.causationId ?? null,
      });
    } catch (e) {
      // Read only on that refusal: a county written in another case is named, as the access check names it.
      throw await withCountyHint(e, { eventsOfTypes: (types) => eventsOfTypes(this.store, types) });
    }
    this.engine?.noteAppended(outcome.result.position);
    // Published only after the append succeeded; projections never depend on this bus.
    if (outcome.events.length) this.publish(outcome);
    return outcome;
  }
}
