import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CommandExecutor } from '../../libs/application/src/command-executor';
import { CommandRegistry } from '../../libs/application/src/command-registry';
import { parseImportFile } from '../../libs/application/src/import-file';
import { Actor } from '../../libs/domain/src/shared';
import { startTestApp, TestApp } from '../helpers/test-app';
import { get } from './governance-helpers';

const ADMIN: Actor = { id: 'importer', name: 'Importer', roles: ['admin'], counties: [], actingRole: 'admin' };

describe('fixtures/governance-2014.jsonl through the import path', () => {
  let t: TestApp;
  beforeAll(async () => {
    t = await startTestApp();
  });
  afterAll(async () => t?.close());

  it('validates every line, applies them all, and a second run applies nothing', async () => {
    const text = readFileSync(join(__dirname, '../../fixtures/governance-2014.jsonl'), 'utf8');
    const { lines, problems } = await parseImportFile(text, t.app.get(CommandRegistry));
    expect(problems).toEqual([]);
    const exec = t.app.get(CommandExecutor);
    let events = 0;
    for (const l of lines) events += (await exec.execute({ command: l.command, payload: l.payload, actor: ADMIN, idempotencyKey: l.idempotencyKey })).events.length;
    expect(events).toBe(lines.length);
    let again = 0;
    for (const l of lines) again += (await exec.execute({ command: l.command, payload: l.payload, actor: ADMIN, idempotencyKey: l.idempotencyKey })).events.length;
    expect(again).toBe(0);

    const reader = await t.auth('auditor');
    const links = await get(t, reader, '/nav-links?date=2014-06-01');
    const byCentre = Object.fromEntries(links.links.map((l: any) => [l.centreId, l]));
    expect(byCentre['telemark-kc'].grounds.owner.holds).toBe(true);
    expect(byCentre['ostfold-kc'].grounds.board.holds).toBe(true);
    expect(byCentre['ostfold-kc'].grounds.formalInput.holds).toBe(true);
    expect(byCentre['troms-kc'].grounds.board.holds).toBe(true);
    expect(byCentre['kristiansand-kc'].grounds.coLocated.holds).toBe(true);
    expect((await get(t, reader, '/centres/troms-kc/governance?date=2013-06-01')).governedBy).toBe('steering-group');
    expect((await get(t, reader, '/centres/lister-kc/governance?date=2013-06-01')).governedBy).toBe('county-line');
  });
});
