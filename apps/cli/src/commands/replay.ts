import { ProjectionEngine } from '../../../../libs/application/src/projection-engine';
import { EventStore } from '../../../../libs/event-store/src/port';
import { EVENT_STORE } from '../../../api/src/ledger/tokens';
import { canonicalJson } from '../../../../libs/event-store/src/canonical-json';
import { checked, CommandShape } from '../args';
import { loadConfig } from '../../../api/src/config';
import { ledgerProblem, progressBar, withLedger } from '../cli-context';

export const replayHelp = 'replay                       rebuild every projection from position 0 and compare with the live views at the same position';
export const replayShape: CommandShape = { help: replayHelp, operands: [], extraOperandHint: () => 'the ledger is the one LEDGER_SQLITE_PATH (or EVENTSTORE_CONNECTION_STRING) names' };

/**
 * Rebuilds every projection from position 0, shows progress, and says whether it equals the live
 * views, both at ONE position, which it names. The live views follow the log (another process, a
 * server, may be recording meanwhile): they are stopped first, at the head or just past it, and the
 * rebuild goes up to exactly where they stopped, so an event recorded meanwhile is in neither (it is
 * the next replay's) and never shows as a difference; a view that differs at that position does.
 */
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
    await engine.caughtUp(await store.headPosition());
    // The live views stop following the log here (for good: this process ends after the comparison); stop() also saves their checkpoint.
    await engine.stop();
    const at = engine.position;
    const started = Date.now();
    const tty = process.stderr.isTTY;
    let lastDraw = 0;
    const { position, views } = await engine.rebuild(at, (p) => {
      if (tty && Date.now() - lastDraw > 100) {
        process.stderr.write(`\r${progressBar(p, at)}`);
        lastDraw = Date.now();
      }
    });
    process.stderr.write(`\r${progressBar(position, at)}\n`);
    const seconds = (Date.now() - started) / 1000;
    let mismatches = 0;
    console.log(`replayed ${position.toLocaleString('en-US')} events in ${seconds.toFixed(2)} s (${Math.round(position / Math.max(seconds, 0.001)).toLocaleString('en-US')} events/s)`);
    const later = await store.headPosition();
    console.log(`compared at position ${at}${later > at ? ` (the log has since reached ${later}: what was recorded meanwhile is left for the next replay)` : ''}`);
    for (const p of engine.projections) {
      const same = canonicalJson(views.get(p.name)) === canonicalJson(engine.view(p.name));
      if (!same) mismatches++;
      console.log(`  ${p.name.padEnd(32)} v${p.version}  ${same ? 'equals the live view' : 'DIFFERS from the live view'}`);
    }
    return mismatches === 0 ? 0 : 1;
  }, config);
});
