import { readFileSync } from 'node:fs';
import { CommandBus } from '@nestjs/cqrs';
import { CommandRegistry } from '../../../../libs/application/src/command-registry';
import { CommandOutcome } from '../../../../libs/application/src/handle-command';
import { parseImportFile } from '../../../../libs/application/src/import-file';
import { DomainError } from '../../../../libs/domain/src/shared';
import { TokenService } from '../../../api/src/auth/token.service';
import { LedgerCommand } from '../../../api/src/ledger/ledger-command';
import { Args, flag } from '../args';
import { CLI_ACTOR, withLedger } from '../cli-context';

export const importHelp = 'import FILE.jsonl [--token JWT]   validate every line, then apply them in order through the command bus';

/**
 * Every line is validated before anything is applied; a bad file is rejected whole with line
 * numbers. Lines are applied with idempotency keys, so re-running a file applies nothing twice.
 */
export const importCommand = async (args: Args): Promise<number> => {
  const file = args.positional[1];
  if (!file) {
    console.error(`usage: ledger ${importHelp}`);
    return 2;
  }
  const text = readFileSync(file, 'utf8');
  return withLedger(async (ctx, config) => {
    const token = flag(args, 'token');
    const actor = token ? { ...(await new TokenService(config).verify(token)), actingRole: CLI_ACTOR.actingRole } : CLI_ACTOR;
    const { lines, problems } = await parseImportFile(text, ctx.get(CommandRegistry));
    if (problems.length) {
      console.error(`${file}: rejected, nothing applied. ${problems.length} problem(s):`);
      for (const p of problems) console.error(`  line ${p.line}: ${p.code} ${p.message}`);
      return 1;
    }
    const bus = ctx.get(CommandBus);
    let applied = 0;
    let skipped = 0;
    let events = 0;
    for (const l of lines) {
      try {
        const out: CommandOutcome = await bus.execute(new LedgerCommand({ command: l.command, payload: l.payload, actor, idempotencyKey: l.idempotencyKey, correlationId: `import-${l.idempotencyKey}` }));
        if (out.replayed) skipped++;
        else {
          applied++;
          events += out.events.length;
        }
      } catch (e) {
        const msg = e instanceof DomainError ? `${e.code} ${e.message}` : String(e);
        console.error(`${file}: line ${l.line} (${l.command}) refused: ${msg}`);
        console.error(`  ${applied} line(s) before it were applied; fix the line and run the file again (applied lines are not applied twice).`);
        return 1;
      }
    }
    console.log(`${file}: ${lines.length} line(s): ${applied} applied (${events} events), ${skipped} already applied earlier.`);
    return 0;
  });
};
