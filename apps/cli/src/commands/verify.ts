import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { describeReport, isDigest, LogSource, sqliteSource, storeSource, verifySource, VerifyReport } from '../../../../libs/application/src/audit/integrity';
import { EVENTS_FILE, exportSource, readExportDigest } from '../../../../libs/application/src/audit/export';
import { createEventStore } from '../../../../libs/event-store/src/create-event-store';
import { hasContiguousPositions } from '../../../../libs/event-store/src/port';
import { loadConfig } from '../../../api/src/config';
import { Args, flag } from '../args';

export const verifyHelp =
  'verify [--digest D --position P] [--up-to P] [--from-export DIR] [--json]   check every hash chain (and a digest); exit 1 and name the first bad event when anything was changed';

const positiveInt = (s: string | undefined): number | undefined | null => {
  if (s === undefined) return undefined;
  return /^\d{1,15}$/.test(s) ? Number(s) : null;
};

/**
 * Walks every stream's hash chain in the ledger (the configured store, opened read-only for
 * SQLite) or in an offline export, and checks a digest an auditor kept. Exit 0: intact; 1: not; 2: usage.
 */
export const verifyCommand = async (args: Args): Promise<number> => {
  const fromExport = flag(args, 'from-export');
  let digest = flag(args, 'digest');
  let position = positiveInt(flag(args, 'position'));
  const upTo = positiveInt(flag(args, 'up-to'));
  if (position === null || upTo === null || (digest !== undefined && !isDigest(digest)) || (digest === undefined) !== (position === undefined)) {
    console.error(`usage: ledger ${verifyHelp}\n(--digest is 64 hex characters and goes with --position, a whole number)`);
    return 2;
  }
  let source: LogSource;
  let hashCoversPosition = true;
  let contiguousPositions = true;
  let close = async (): Promise<void> => {};
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
    const config = loadConfig();
    if (config.store === 'sqlite') {
      if (!existsSync(config.sqlitePath)) {
        console.error(`no ledger at ${config.sqlitePath}`);
        return 2;
      }
      const db = new Database(config.sqlitePath, { readonly: true, fileMustExist: true });
      source = sqliteSource(db, upTo);
      close = async () => {
        db.close();
      };
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
    report = await verifySource(source, { hashCoversPosition, contiguousPositions, upTo, expectedDigest: digest, digestPosition: position });
  } finally {
    await close();
  }
  if (flag(args, 'json') !== undefined) console.log(JSON.stringify(report, null, 2));
  else for (const line of describeReport(report)) console.log(line);
  return report.ok ? 0 : 1;
};
