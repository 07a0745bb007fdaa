import { ProjectionEngine } from '../../../../libs/application/src/projection-engine';
import { EventStore } from '../../../../libs/event-store/src/port';
import { EVENT_STORE } from '../../../api/src/ledger/tokens';
import { canonicalJson } from '../../../../libs/event-store/src/canonical-json';
import { checked, CommandShape } from '../args';
import { loadConfig } from '../../../api/src/config';
import { ledgerProblem, progressBar, withLedger } from '../cli-context';

export const replayHelp = 'replay                       rebuild every projection from position 0 and compare with the live views';
export const replayShape: CommandShape = { help: replayHelp, operands: [], extraOperandHint: () => 'the ledger is the one LEDGER_SQLITE_PATH (or EVENTSTORE_CONNECTION_STRING) names' };

/** Rebuilds every projection from position 0, shows progress, and says whether it equals the live views. */
export const replayCommand = checked('replay', replayShape, async (): Promise<number> => {
  const config = loadConfig();
  // As verify and export: a mistyped path is refused, not answered with a new empty ledger.
  const problem = ledgerProblem(config);
  if (problem) {
    console.error(problem);
    return 2;
  }
  return withLedger(async (ctx) => {
    const engine = ctx.get(ProjectionEngine);
    const store = ctx.get<EventStore>(EVENT_STORE);
    const head = await store.headPosition();
    await engine.caughtUp(head);
    const started = Date.now();
    const tty = process.stderr.isTTY;
    let lastDraw = 0;
    const { position, views } = await engine.rebuild(head, (p) => {
      if (tty && Date.now() - lastDraw > 100) {
        process.stderr.write(`\r${progressBar(p, head)}`);
        lastDraw = Date.now();
      }
    });
    process.stderr.write(`\r${progressBar(position, head)}\n`);
    const seconds = (Date.now() - started) / 1000;
    let mismatches = 0;
    console.log(`replayed ${position.toLocaleString('en-US')} events in ${seconds.toFixed(2)} s (${Math.round(position / Math.max(seconds, 0.001)).toLocaleString('en-US')} events/s)`);
    for (const p of engine.projections) {
      const same = canonicalJson(views.get(p.name)) === canonicalJson(engine.view(p.name));
      if (!same) mismatches++;
      console.log(`  ${p.name.padEnd(32)} v${p.version}  ${same ? 'equals the live view' : 'DIFFERS from the live view'}`);
    }
    engine.saveCheckpoint();
    return mismatches === 0 ? 0 : 1;
  }, config);
});
