import { CommandBus } from '@nestjs/cqrs';
import { COUNTIES_2014 } from '../../../../libs/application/src/seed/counties-2014';
import { CommandOutcome } from '../../../../libs/application/src/handle-command';
import { LedgerCommand } from '../../../api/src/ledger/ledger-command';
import { DomainError } from '../../../../libs/domain/src/shared';
import { checked, CommandShape } from '../args';
import { loadConfig } from '../../../api/src/config';
import { CLI_ACTOR, ledgerProblem, withLedger } from '../cli-context';

export const seedHelp = 'seed                         register the 19 counties of 2014 (safe to run again)';
export const seedShape: CommandShape = { help: seedHelp, operands: [], extraOperandHint: () => 'the ledger is the one LEDGER_SQLITE_PATH (or EVENTSTORE_CONNECTION_STRING) names' };

/** Registers the 19 counties of 2014 with fixed idempotency keys, so a second run records nothing. */
export const seedCommand = checked('seed', seedShape, async (): Promise<number> => {
  const config = loadConfig();
  // Seed starts a ledger where there is none; a folder or a file that is not a ledger is refused.
  const problem = ledgerProblem(config, { create: true });
  if (problem) {
    console.error(problem);
    return 2;
  }
  return withLedger(async (ctx) => {
    const bus = ctx.get(CommandBus);
    let recorded = 0;
    for (const c of COUNTIES_2014) {
      try {
        const out: CommandOutcome = await bus.execute(new LedgerCommand({ command: 'RegisterCounty', payload: c, actor: CLI_ACTOR, idempotencyKey: `seed-county-${c.countyId}` }));
        if (!out.replayed) recorded += out.events.length;
      } catch (e) {
        // Registered earlier by someone else (over HTTP or an import): it is present, which is all seed wants.
        if (!(e instanceof DomainError && e.code === 'COUNTY.ALREADY_REGISTERED')) throw e;
      }
    }
    console.log(`seed: ${COUNTIES_2014.length} counties of 2014 present; ${recorded} new event(s) recorded.`);
    return 0;
  }, config);
});
