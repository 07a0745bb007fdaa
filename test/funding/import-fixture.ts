import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CommandExecutor } from '../../libs/application/src/command-executor';
import { CommandRegistry } from '../../libs/application/src/command-registry';
import { parseImportFile } from '../../libs/application/src/import-file';
import { CLI_ACTOR } from '../../apps/cli/src/cli-context';

export const FIXTURE_2013 = join(__dirname, '../../fixtures/case-counties-2013.jsonl');

/**
 * Applies an import file exactly as `ledger import` does: every line parsed and validated by
 * parseImportFile with the app's registry, then executed in order by the app's CommandExecutor
 * as the CLI's actor, with the line's idempotency key.
 */
export const importFile = async (app: NestFastifyApplication, file: string): Promise<{ applied: number; events: number }> => {
  const { lines, problems } = await parseImportFile(readFileSync(file, 'utf8'), app.get(CommandRegistry));
  if (problems.length) throw new Error(`import problems: ${JSON.stringify(problems)}`);
  const executor = app.get(CommandExecutor);
  let applied = 0;
  let events = 0;
  for (const l of lines) {
    try {
      const out = await executor.execute({ command: l.command, payload: l.payload, actor: CLI_ACTOR, idempotencyKey: l.idempotencyKey, correlationId: `import-${l.idempotencyKey}` });
      if (!out.replayed) applied++;
      events += out.events.length;
    } catch (e) {
      throw new Error(`line ${l.line} (${l.command}) refused: ${(e as Error).message}`);
    }
  }
  return { applied, events };
};

/** A small RFC 4180 reader (quotes, doubled quotes, CRLF) for reading our CSV back. */
export const parseCsv = (text: string): string[][] => {
  const s = text.replace(/^\uFEFF/, '');
  const rows: string[][] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  for (let i = 0; i < s.length; i++) {
    const ch = s[i];
    if (quoted) {
      if (ch === '"' && s[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else cell += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\r' && s[i + 1] === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
      i++;
    } else if (ch === '\n') {
      row.push(cell);
      rows.push(row);
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length) {
    row.push(cell);
    rows.push(row);
  }
  return rows;
};
