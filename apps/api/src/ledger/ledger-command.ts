import { Inject } from '@nestjs/common';
import { CommandHandler, ICommand, ICommandHandler } from '@nestjs/cqrs';
import { CommandExecutor, ExecuteRequest } from '../../../../libs/application/src/command-executor';
import { CommandOutcome } from '../../../../libs/application/src/handle-command';

/** The one command the bus carries: a registered ledger command by name, with its actor. */
export class LedgerCommand implements ICommand {
  constructor(readonly request: ExecuteRequest) {}
}

/** Published on the event bus only after the append succeeded. */
export class LedgerEventsAppended {
  constructor(readonly outcome: CommandOutcome) {}
}

/** Thin: hands the command to the command path and returns its result (never fire-and-forget). */
@CommandHandler(LedgerCommand)
export class LedgerCommandHandler implements ICommandHandler<LedgerCommand, CommandOutcome> {
  constructor(@Inject(CommandExecutor) private readonly executor: CommandExecutor) {}
  execute(command: LedgerCommand): Promise<CommandOutcome> {
    return this.executor.execute(command.request);
  }
}
