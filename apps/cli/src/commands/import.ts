import { readFileSync, statSync } from 'node:fs';
import { CommandBus } from '@nestjs/cqrs';
import { CommandRegistry } from '../../../../libs/application/src/command-registry';
import { CommandOutcome } from '../../../../libs/application/src/handle-command';
import { decodeImportFile, dryRunImport, ImportProblem, importRequest, parseImportFile } from '../../../../libs/application/src/import-file';
import { ProjectionEngine } from '../../../../libs/application/src/projection-engine';
import { DomainError } from '../../../../libs/domain/src/shared';
import { isBusyError, StoreBusyError, StreamDeletedOnNodeError } from '../../../../libs/event-store/src/errors';
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
 * What to tell the operator when a line that passed the dry run is not applied. The store refusing
 * the write for a moment (another process held the SQLite write lock too long: STORE.BUSY; EventStoreDB
 * did not confirm it: STORE.OUTCOME_UNKNOWN) says nothing about the line: the advice is to run the same
 * file again. So does an error that is not the ledger's (a full disk, a fault). Any other refusal is
 * by the rules, so the ledger changed since the dry run.
 * Either way a re-run applies nothing twice (each line's idempotency key, as the same sender).
 */
export const stoppedAt = (file: string, l: { line: number; command: string }, raw: unknown, applied: number): string[] => {
  // SQLite's own "locked" on a read (not wrapped by the store) is the busy ledger too, as HTTP answers it (503 STORE.BUSY).
  const e = !(raw instanceof DomainError) && isBusyError(raw) ? new StoreBusyError(0) : raw;
  const code = e instanceof DomainError ? e.code : undefined;
  const msg = e instanceof DomainError ? `${e.code} ${e.message}` : String(e);
  const before = `${applied} line(s) before it were applied.`;
  const again = 'lines already applied are recognised by their idempotency keys and not applied twice (run it as the same sender: the same --token subject, or no --token).';
  if (code === 'STORE.BUSY') {
    const waited = (e as DomainError).details.waitedMs;
    const held = typeof waited === 'number' && waited > 0 ? ` (this import waited ${(waited / 1000).toFixed(1)} s for it)` : '';
    return [
      `${file}: line ${l.line} (${l.command}) not applied: ${msg}`,
      `  Another process (a server, another import, a backup or a sqlite3 shell on the same ledger) held the ledger's write lock too long${held}; nothing is wrong with the line and nothing of it was recorded. ${before}`,
      `  Run the same file again once the ledger is free: it goes on from line ${l.line}; ${again}`,
    ];
  }
  if (code === 'STORE.OUTCOME_UNKNOWN') {
    const seconds = (e as DomainError).details.retryAfterSeconds;
    const wait = typeof seconds === 'number' ? ` after ${seconds} s` : ' in a moment';
    return [
      `${file}: line ${l.line} (${l.command}) outcome unknown: ${msg}`,
      `  The event store did not confirm the line's write, so it may or may not have been recorded; nothing is wrong with the line. ${before}`,
      `  Run the same file again${wait}: a line that was recorded (this one included) is answered from its record, never recorded twice; ${again}`,
    ];
  }
  if (e instanceof StreamDeletedOnNodeError) {
    // Definite: the node refused the read or the write, so nothing of the line was recorded; running the
    // file again helps only once the stream is restored.
    return [
      `${file}: line ${l.line} (${l.command}) not applied: ${e.code} ${e.message}`,
      `  Nothing is wrong with the line and nothing of it was recorded. ${before}`,
      `  Once an administrator has restored the stream (${e.streamId}) on the node, run the same file again: it goes on from line ${l.line}; ${again}`,
    ];
  }
  if (!(e instanceof DomainError)) {
    // Not the ledger's rules: the store or this program failed (a full disk, an I/O error, a fault).
    // Whether the line's write was recorded is not known here, so the advice is the unconfirmed write's.
    return [
      `${file}: line ${l.line} (${l.command}) not applied: unexpected error: ${e instanceof Error ? e.message : String(e)}`,
      `  This is not a refusal by the ledger's rules and nothing is known to be wrong with the line: the import itself failed (for example a full disk, a file that cannot be written, or a fault in this program). ${before}`,
      `  Fix the cause and run the same file again: a line that was recorded (this one, if it was) is answered from its record, never recorded twice; ${again}`,
    ];
  }
  // The dry run passed, so the ledger changed since (e.g. another writer).
  return [
    `${file}: line ${l.line} (${l.command}) refused: ${msg}`,
    `  The whole file passed a dry run, so the ledger changed while it was applied (another writer?). ${before}`,
    '  Fix the line and run the file again: lines already applied are recognised by their idempotency keys and not applied twice.',
  ];
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
        for (const line of stoppedAt(file, l, e, applied)) console.error(line);
        return 1;
      }
    }
    console.log(`${file}: ${lines.length} line(s): ${applied} applied (${events} events), ${skipped} already applied earlier.`);
    return 0;
  }, config);
});
