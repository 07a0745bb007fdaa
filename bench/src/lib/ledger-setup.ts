import { CommandExecutor } from '../../../libs/application/src/command-executor';
import { CommandRegistry } from '../../../libs/application/src/command-registry';
import { COUNTIES_2014 } from '../../../libs/application/src/seed/counties-2014';
import { Actor } from '../../../libs/domain/src/shared';
import { SqliteEventStore } from '../../../libs/event-store/src/sqlite-event-store';
import { centreIdOf, countyAuthorityOf, countyOf, STREAMS } from './rows';

export const ADMIN: Actor = { id: 'bench-admin', name: 'Bench admin', roles: ['admin'], counties: [], actingRole: 'admin' };
/** A finance officer who serves every county (the write benchmarks spread over all of them). */
export const FINANCE_OFFICER: Actor = { id: 'bench-fo', name: 'Bench finance officer', roles: ['finance-officer'], counties: COUNTIES_2014.map((c) => c.countyId), actingRole: 'finance-officer' };

export type BenchCommand = 'rename-centre' | 'operating-grant';

/**
 * The payload of the n-th benchmark command on stream i. `operating-grant` follows the funding
 * feature's RecordOperatingGrant DTO (decimal-string amount).
 */
export const commandFor = (kind: BenchCommand, i: number, n: number): { command: string; payload: Record<string, unknown> } => {
  if (kind === 'rename-centre') {
    return { command: 'RenameCentre', payload: { centreId: centreIdOf(i), name: `Karrieresenter ${i} (${n})`, effectiveFrom: '2014-01-01' } };
  }
  const countyId = countyOf(i);
  return {
    command: 'RecordOperatingGrant',
    payload: { entryId: `bench-${i}-${n}`, centreId: centreIdOf(i), fiscalYear: 2014, partyId: countyAuthorityOf(countyId), amount: `${1_250_000 + (n % 1000)}.00`, decidedOn: '2014-01-15', reference: `2014/${n}`, note: 'Driftsmidler 2014' },
  };
};

/**
 * Registers the 19 counties, each county's authority as a party, and `streams` centres through
 * the real commands (so every feature's checks see a normal ledger). Durability is switched off
 * while seeding only; the store is back at synchronous=FULL before anything is measured.
 */
export const seedLedger = async (store: SqliteEventStore, streams = STREAMS): Promise<void> => {
  const exec = new CommandExecutor(store, new CommandRegistry(), null);
  store.db.pragma('synchronous = OFF');
  const registry = new CommandRegistry();
  for (const c of COUNTIES_2014) await exec.execute({ command: 'RegisterCounty', payload: { ...c }, actor: ADMIN });
  if (registry.has('RegisterParty')) {
    for (const c of COUNTIES_2014) {
      await exec.execute({ command: 'RegisterParty', payload: { partyId: countyAuthorityOf(c.countyId), name: `${c.name} fylkeskommune`, kind: 'county-authority', countyId: c.countyId }, actor: ADMIN });
    }
  }
  for (let i = 0; i < streams; i++) {
    await exec.execute({ command: 'RegisterCentre', payload: { centreId: centreIdOf(i), countyId: countyOf(i), name: `Karrieresenter ${i}`, municipality: 'Kommune', openedOn: '2009-01-01' }, actor: ADMIN });
  }
  store.db.pragma('wal_checkpoint(TRUNCATE)');
  store.db.pragma('synchronous = FULL');
};
