import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MemoryEventStore } from '../../../event-store/src/memory-event-store';
import { EVENTS_FILE, exportSource, readExportDigest, writeExport } from './export';
import { verifySource } from './integrity';

const meta = { actorId: 't', actorRole: 'admin', correlationId: 'c', causationId: null, idempotencyKey: null };

describe('audit export of a log longer than one page', () => {
  const dir = mkdtempSync(join(tmpdir(), 'ledger-export-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes every event once and in order, and reads it back in batches of at most 1,000 that verify with the same digest', async () => {
    const store = new MemoryEventStore();
    const n = 2_345;
    for (let i = 1; i <= n; i++) await store.append(`s-${i % 7}`, [{ eventId: `e-${i}`, type: 'Step', schemaVersion: 1, data: { i }, metadata: meta }], 'any');
    const out = join(dir, 'x');
    const result = await writeExport(store, out);
    expect(result.events).toBe(n);

    const lines = readFileSync(join(out, EVENTS_FILE), 'utf8').trimEnd().split('\n').map((l) => JSON.parse(l) as { position: number; eventId: string });
    expect(lines.map((e) => e.position)).toEqual(Array.from({ length: n }, (_, i) => i + 1));
    expect(lines[n - 1].eventId).toBe(`e-${n}`);

    const batches: number[] = [];
    async function* counted() {
      for await (const b of exportSource(out)) {
        batches.push(b.length);
        yield b;
      }
    }
    const digest = readExportDigest(out);
    const report = await verifySource(counted(), { hashCoversPosition: true, expectedDigest: digest.digest, digestPosition: digest.position });
    expect(report.ok).toBe(true);
    expect(report.eventsChecked).toBe(n);
    expect(report.digest?.matches).toBe(true);
    expect(batches).toEqual([1000, 1000, 345]);
  });
});
