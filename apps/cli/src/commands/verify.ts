import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describeReport, isDigest, LogProblem, LogSource, sqliteIdempotencyProblems, sqliteSource, storeSource, verifySource, VerifyReport, withLogProblems } from '../../../../libs/application/src/audit/integrity';
import { EVENTS_FILE, exportSource, readExportDigest } from '../../../../libs/application/src/audit/export';
import { createEventStore } from '../../../../libs/event-store/src/create-event-store';
import { hasContiguousPositions } from '../../../../libs/event-store/src/port';
import { openLedgerReadonly } from '../../../../libs/event-store/src/sqlite-event-store';
import { Args, checked, CommandShape, flag, hasFlag, shellWord, usageError } from '../args';
import { badPosition, parsePosition } from '../positions';
import { ledgerPathProblem } from '../ledger-path';
import { readOnlyConfig } from '../read-only-config';

export const verifyHelp =
  'verify [--digest D --position P] [--up-to P] [--from-export DIR] [--json]   check every hash chain (and a digest); exit 1 and name the first bad event when anything was changed';

export const verifyShape: CommandShape = {
  help: verifyHelp,
  operands: [],
  // An auditor typing `ledger verify copy.sqlite` must not get the configured ledger's OK.
  extraOperandHint: (file) =>
    `it checks the ledger LEDGER_SQLITE_PATH (or EVENTSTORE_CONNECTION_STRING) names, so to check that SQLite file run LEDGER_SQLITE_PATH=${shellWord(file)} ledger verify; for an export folder, ledger verify --from-export ${shellWord(file)}`,
};

/**
 * Walks every stream's hash chain in the ledger (the configured store, opened read-only for
 * SQLite) or in an offline export, and checks a digest an auditor kept. Exit 0: intact; 1: not; 2: usage.
 */
export const verifyCommand = checked('verify', verifyShape, async (args: Args): Promise<number> => {
  const fromExport = flag(args, 'from-export');
  let digest = flag(args, 'digest');
  let position = parsePosition(args, 'position');
  const upTo = parsePosition(args, 'up-to');
  const problems = [
    ...(['position', 'up-to'] as const).filter((o) => parsePosition(args, o) === null).map((o) => badPosition(args, o)),
    ...(digest !== undefined && !isDigest(digest) ? [`--digest must be 64 hex characters (given ${JSON.stringify(digest)})`] : []),
    ...((digest === undefined) !== (position === undefined) ? ['--digest and --position go together: the digest you kept and the position it was taken at'] : []),
  ];
  if (position === null || upTo === null || problems.length) return usageError(verifyHelp, ...problems);
  let source: LogSource;
  let hashCoversPosition = true;
  let contiguousPositions = true;
  let close = async (): Promise<void> => {};
  let crossChecks = (): LogProblem[] => [];
  if (fromExport) {
    if (!existsSync(join(fromExport, EVENTS_FILE))) {
      console.error(`${fromExport} is not a ledger export (no ${EVENTS_FILE})`);
      return 2;
    }
    const d = readExportDigest(fromExport);
    hashCoversPosition = d.hashCoversPosition;
    contiguousPositions = d.contiguousPositions;
    if (digest === undefined) {
      digest = d.digest;
      position = d.position;
      console.error(`checking against the digest inside the export (position ${d.position}); pass --digest/--position with one you kept yourself to rule out a changed export`);
    }
    source = exportSource(fromExport);
  } else {
    const config = readOnlyConfig();
    if (config.store === 'sqlite') {
      const notLedger = ledgerPathProblem(config.sqlitePath);
      if (notLedger) {
        console.error(notLedger);
        return 2;
      }
      const { db, close: closeDb } = openLedgerReadonly(config.sqlitePath);
      source = sqliteSource(db, upTo);
      // The idempotency receipts against the whole log (not a prefix cut by --up-to).
      if (upTo === undefined) crossChecks = () => sqliteIdempotencyProblems(db);
      close = async () => closeDb();
    } else {
      const store = createEventStore(config);
      hashCoversPosition = store.hashCoversPosition;
      contiguousPositions = hasContiguousPositions(store.kind);
      source = storeSource(store, upTo);
      close = () => store.close();
    }
  }
  let report: VerifyReport;
  try {
    report = withLogProblems(await verifySource(source, { hashCoversPosition, contiguousPositions, upTo, expectedDigest: digest, digestPosition: position }), crossChecks());
  } finally {
    await close();
  }
  if (hasFlag(args, 'json')) console.log(JSON.stringify(report, null, 2));
  else for (const line of describeReport(report)) console.log(line);
  return report.ok ? 0 : 1;
});
