import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NestFastifyApplication } from '@nestjs/platform-fastify';
import { CommandExecutor } from '../../libs/application/src/command-executor';
import { CommandRegistry } from '../../libs/application/src/command-registry';
import { parseImportFile } from '../../libs/application/src/import-file';
import { CLI_ACTOR } from '../../apps/cli/src/cli-context';
import { readCsv } from './csv-reader';

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

/** Our CSV read back (comma-separated; CRLF or a bare LF ends a row). */
export const parseCsv = (text: string): string[][] => readCsv(text, ',', { bareLfEndsRow: true });
