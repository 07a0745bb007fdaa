/**
 * A writer process for the multi-process concurrency test: appends N events to one stream of a shared
 * SQLite file with expected revisions, re-reading and retrying on every conflict. Prints one line
 * `ACK <eventId> <revision>` per acknowledged append and `DONE <conflicts>` at the end.
 * Run: node -r test/helpers/swc-register.js test/core/kill/concurrent-writer.ts  (env LEDGER_SQLITE_PATH, WRITER, APPENDS, STREAM)
 */
import { randomUUID } from 'node:crypto';
import { WrongExpectedRevisionError } from '../../../libs/event-store/src/errors';
import { SqliteEventStore } from '../../../libs/event-store/src/sqlite-event-store';

const main = async () => {
  const store = new SqliteEventStore({ path: process.env.LEDGER_SQLITE_PATH! });
  const writer = Number(process.env.WRITER);
  const appends = Number(process.env.APPENDS);
  const stream = process.env.STREAM!;
  let conflicts = 0;
  const lines: string[] = [];
  for (let seq = 0; seq < appends; seq++) {
    for (;;) {
      const [last] = await store.readStream(stream, { direction: 'backwards', maxCount: 1 });
      try {
        const r = await store.append(
          stream,
          [{ eventId: randomUUID(), type: 'Ticked', schemaVersion: 1, data: { writer, seq, countBefore: last ? last.revision + 1 : 0 }, metadata: { actorId: `writer-${writer}`, actorRole: 'admin', correlationId: `w${writer}-${seq}`, causationId: null, idempotencyKey: null } }],
          last ? last.revision : 'no_stream',
        );
        lines.push(`ACK ${r.eventIds[0]} ${r.revision}`);
        break;
      } catch (e) {
        if (!(e instanceof WrongExpectedRevisionError)) throw e;
        conflicts++;
      }
    }
    if (lines.length >= 50) process.stdout.write(lines.splice(0).join('\n') + '\n');
  }
  if (lines.length) process.stdout.write(lines.join('\n') + '\n');
  process.stdout.write(`DONE ${conflicts}\n`);
  await store.close();
};

main().catch((e) => {
  process.stderr.write(`concurrent-writer failed: ${e instanceof Error ? e.stack : String(e)}\n`);
  process.exit(1);
});
