import { Actor, DomainError } from '../../domain/src/shared';
import { EventStore } from '../../event-store/src/port';
import { CommandRegistry } from './command-registry';
import { CentreActivity, centreActivity, historyReader, scanBase, viewBase } from './counties/centre-activity';
import { CommandOutcome, handleCommand } from './handle-command';
import { ProjectionEngine } from './projection-engine';

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

  async execute(req: ExecuteRequest): Promise<CommandOutcome> {
    const def = this.registry.get(req.command);
    // The command's own rule (def.actingRole) or its own order decides, not the order of the token's roles claim (see BOARD in governance/commands.ts).
    const chosen = def.actingRole?.(req.payload, req.actor);
    const actingRole = chosen !== undefined && def.roles.includes(chosen) && req.actor.roles.includes(chosen) ? chosen : def.roles.find((r) => req.actor.roles.includes(r));
    if (!actingRole) {
      throw new DomainError('ACCESS.ROLE_NOT_ALLOWED', `Your role (${req.actor.roles.join(', ') || 'none'}) may not ${def.name}; it needs one of: ${def.roles.join(', ')}.`, 'forbidden', { command: def.name });
    }
    if (req.idempotencyKey !== undefined && req.idempotencyKey !== null && !/^[\x21-\x7e]{1,200}$/.test(req.idempotencyKey)) {
      throw new DomainError('IDEMPOTENCY_KEY_INVALID', 'The Idempotency-Key must be 1–200 visible ASCII characters.', 'invalid');
    }
    const outcome = await handleCommand({ store: this.store, clock: this.clock, centreActivity: this.centreActivity }, def, req.payload, {
      actor: { ...req.actor, actingRole },
      idempotencyKey: req.idempotencyKey ?? null,
      correlationId: req.correlationId,
      causationId: req.causationId ?? null,
    });
    this.engine?.noteAppended(outcome.result.position);
    // Published only after the append succeeded; projections never depend on this bus.
    if (outcome.events.length) this.publish(outcome);
    return outcome;
  }
}
