import { createHash } from 'node:crypto';
import { DomainError } from '../../domain/src/shared';
import { canonicalJson } from '../../event-store/src/canonical-json';
import { CommandRegistry } from './command-registry';
import { validatePayload } from './validation';

export interface ImportLine {
  line: number;
  command: string;
  payload: object;
  idempotencyKey: string;
}

export interface ImportProblem {
  line: number;
  code: string;
  message: string;
}

const ALLOWED_KEYS = new Set(['command', 'payload', 'idempotencyKey']);

/**
 * Parses and validates every line of an import file before anything is applied.
 * Lines without an idempotency key get one derived from their content (and how often that exact
 * line has occurred so far), so re-running the same file applies nothing twice.
 */
export const parseImportFile = async (text: string, registry: CommandRegistry): Promise<{ lines: ImportLine[]; problems: ImportProblem[] }> => {
  const lines: ImportLine[] = [];
  const problems: ImportProblem[] = [];
  const seen = new Map<string, number>();
  const rows = text.split(/\r?\n/);
  for (let i = 0; i < rows.length; i++) {
    const raw = rows[i].trim();
    const line = i + 1;
    if (raw === '' || raw.startsWith('#')) continue;
    let obj: any;
    try {
      obj = JSON.parse(raw);
    } catch {
      problems.push({ line, code: 'IMPORT.INVALID_JSON', message: 'not valid JSON' });
      continue;
    }
    if (obj === null || typeof obj !== 'object' || Array.isArray(obj)) {
      problems.push({ line, code: 'IMPORT.NOT_AN_OBJECT', message: 'each line must be a JSON object {"command", "payload", "idempotencyKey"}' });
      continue;
    }
    const extra = Object.keys(obj).filter((k) => !ALLOWED_KEYS.has(k));
    if (extra.length) problems.push({ line, code: 'IMPORT.UNKNOWN_FIELD', message: `unknown field(s): ${extra.join(', ')}` });
    if (typeof obj.command !== 'string' || !registry.has(obj.command)) {
      problems.push({ line, code: 'COMMAND.UNKNOWN', message: `unknown command ${JSON.stringify(obj.command)}` });
      continue;
    }
    if (obj.idempotencyKey !== undefined && (typeof obj.idempotencyKey !== 'string' || !/^[\x21-\x7e]{1,200}$/.test(obj.idempotencyKey))) {
      problems.push({ line, code: 'IDEMPOTENCY_KEY_INVALID', message: 'idempotencyKey must be 1–200 visible ASCII characters' });
      continue;
    }
    try {
      const payload = await validatePayload(registry.get(obj.command).payload, obj.payload);
      const content = canonicalJson({ command: obj.command, payload: obj.payload });
      const n = (seen.get(content) ?? 0) + 1;
      seen.set(content, n);
      const key = obj.idempotencyKey ?? `import-${createHash('sha256').update(content).digest('hex').slice(0, 40)}-${n}`;
      lines.push({ line, command: obj.command, payload, idempotencyKey: key });
    } catch (e) {
      if (e instanceof DomainError) problems.push({ line, code: e.code, message: e.message });
      else throw e;
    }
  }
  return { lines, problems };
};
