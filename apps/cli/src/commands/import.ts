import { readFileSync, statSync } from 'node:fs';
import { CommandBus } from '@nestjs/cqrs';
import { CommandRegistry } from '../../../../libs/application/src/command-registry';
import { CommandOutcome } from '../../../../libs/application/src/handle-command';
import { decodeImportFile, dryRunImport, ImportProblem, importRequest, parseImportFile } from '../../../../libs/application/src/import-file';
import { ProjectionEngine } from '../../../../libs/application/src/projection-engine';
import { DomainError } from '../../../../libs/domain/src/shared';
import { EventStore } from '../../../../libs/event-store/src/port';
import { TokenService } from '../../../api/src/auth/token.service';
import { LedgerCommand } from '../../../api/src/ledger/ledger-command';
import { EVENT_STORE } from '../../../api/src/ledger/tokens';
import { Args, checked, CommandShape, flag } from '../args';
import { CLI_ACTOR, ledgerProblem, withLedger } from '../cli-context';
import { loadConfig } from '../../../api/src/config';

export const importHelp = 'import FILE.jsonl [--token JWT]   check every line (shape, then a dry run of the whole file), then apply them in order through the command bus';
export const importShape: CommandShape = { help: importHelp, operands: ['FILE.jsonl'], extraOperandHint: () => 'import one file at a time (each is checked and applied whole)' };

/** The file's bytes, or why it cannot be read: a missing file or a folder is a usage error, like a missing ledger for verify/export. */
const readImportFile = (file: string): { bytes: Buffer } | { problem: string } => {
  try {
    if (statSync(file).isDirectory()) return { problem: `${file} is a directory, not a file` };
    return { bytes: readFileSync(file) };
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { problem: `no file at ${file}` };
    if (code === 'ENOTDIR') return { problem: `no file at ${file} (a part of the path is not a folder)` };
    if (code === 'EACCES' || code === 'EPERM') return { problem: `${file} cannot be read: permission denied` };
    return { problem: `${file} cannot be read: ${e instanceof Error ? e.message : String(e)}` };
  }
};

const reject = (file: string, problems: ImportProblem[], note?: string): number => {
  console.error(`${file}: rejected, nothing applied. ${problems.length} problem(s):`);
  for (const p of problems) console.error(`  line ${p.line}: ${p.code} ${p.message}`);
  if (note) console.error(`  ${note}`);
  return 1;
};

/**
 * Nothing is applied unless the whole file passes: first every line's shape, then a dry run of the
 * whole file through the command path against an in-memory overlay of the ledger. Lines are applied
 * with idempotency keys, so re-running a file applies nothing twice.
 */
export const importCommand = checked('import', importShape, async (args: Args): Promise<number> => {
  const file = args.positional[1];
  const read = readImportFile(file);
  if ('problem' in read) {
    console.error(read.problem);
    return 2;
  }
  const config = loadConfig();
  // A new ledger is started where there is none yet; a folder or a file that is not a ledger is refused.
  const notLedger = ledgerProblem(config, { create: true });
  if (notLedger) {
    console.error(notLedger);
    return 2;
  }
  const decoded = decodeImportFile(read.bytes);
  if ('problems' in decoded) return reject(file, decoded.problems);
  const { text } = decoded;
  return withLedger(async (ctx, config) => {
    const token = flag(args, 'token');
    const actor = token ? { ...(await new TokenService(config).verify(token)), actingRole: CLI_ACTOR.actingRole } : CLI_ACTOR;
    const registry = ctx.get(CommandRegistry);
    const { lines, problems } = await parseImportFile(text, registry);
    // A line missing here would make later lines fail for its sake in a dry run: shape first.
    if (problems.length) return reject(file, problems);
    const refused = await dryRunImport(ctx.get<EventStore>(EVENT_STORE), registry, lines, actor, ctx.get(ProjectionEngine));
    if (refused.length) return reject(file, refused, 'Found in a dry run of the whole file; a line after a refused one may be refused only because of it.');
    const bus = ctx.get(CommandBus);
    let applied = 0;
    let skipped = 0;
    let events = 0;
    for (const l of lines) {
      try {
        const out: CommandOutcome = await bus.execute(new LedgerCommand(importRequest(l, actor)));
        if (out.replayed) skipped++;
        else {
          applied++;
          events += out.events.length;
        }
      } catch (e) {
        // The dry run passed, so the ledger changed since (e.g. another writer).
        const msg = e instanceof DomainError ? `${e.code} ${e.message}` : String(e);
        console.error(`${file}: line ${l.line} (${l.command}) refused: ${msg}`);
        console.error(`  The whole file passed a dry run, so the ledger changed while it was applied (another writer?). ${applied} line(s) before it were applied.`);
        console.error('  Fix the line and run the file again: lines already applied are recognised by their idempotency keys and not applied twice.');
        return 1;
      }
    }
    console.log(`${file}: ${lines.length} line(s): ${applied} applied (${events} events), ${skipped} already applied earlier.`);
    return 0;
  }, config);
});
