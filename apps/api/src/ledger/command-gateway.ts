import { Inject, Injectable } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { Actor } from '../../../../libs/domain/src/shared';
import { AppendResult } from '../../../../libs/event-store/src/port';
import { CommandOutcome } from '../../../../libs/application/src/handle-command';
import { LedgerCommand } from './ledger-command';

export interface HttpLikeRequest {
  headers: Record<string, string | string[] | undefined>;
  query?: Record<string, unknown>;
  actor: Actor;
}

const header = (req: HttpLikeRequest, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v[0] : v;
};

/** What every write route answers: where the events landed, so the client can read its own writes. */
export type CommandResponse = AppendResult;

/** What controllers call: builds the bus command from a validated DTO and the request's headers. */
@Injectable()
export class CommandGateway {
  constructor(@Inject(CommandBus) private readonly bus: CommandBus) {}

  async run(command: string, payload: object, req: HttpLikeRequest): Promise<CommandResponse> {
    const outcome: CommandOutcome = await this.bus.execute(
      new LedgerCommand({
        command,
        payload: { ...payload },
        actor: req.actor,
        idempotencyKey: header(req, 'idempotency-key') ?? null,
        correlationId: header(req, 'x-correlation-id'),
        causationId: header(req, 'x-causation-id') ?? null,
      }),
    );
    return outcome.result;
  }
}
