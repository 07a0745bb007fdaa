import { createHash } from 'node:crypto';
import { Actor, DomainError } from '../../domain/src/shared';
import { canonicalJson } from '../../event-store/src/canonical-json';
import { StreamDeletedOnNodeError } from '../../event-store/src/errors';
import { EventStore } from '../../event-store/src/port';
import { CommandExecutor, ExecuteRequest } from './command-executor';
import { CommandRegistry } from './command-registry';
import { centreActivity, historyReader, scanBase, viewBase } from './counties/centre-activity';
import { DryRunStore } from './dry-run-store';
import { countJsonNames, countKeys, duplicateName } from './json-names';
import type { ProjectionEngine } from './projection-engine';
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

/**
 * An import file's bytes as text, or a problem (IMPORT.NOT_UTF8) for each line that is not valid
 * UTF-8: such a file is rejected whole, never decoded leniently (a U+FFFD for "ø" would be recorded
 * for good). A UTF-8 byte order mark at the start is dropped, as every line's leading one is later.
 */
export const decodeImportFile = (bytes: Uint8Array): { text: string } | { problems: ImportProblem[] } => {
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    const problems: ImportProblem[] = [];
    const utf16 = bytes.length >= 2 && ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff));
    const message = utf16 ? 'not valid UTF-8: the file looks like UTF-16 ("Unicode text"); save it as UTF-8' : 'not valid UTF-8 (saved in another encoding, e.g. Windows-1252 or Latin-1?); save the file as UTF-8';
    // Lines end at \n (as parseImportFile splits them; a \r before it is part of neither decoding's problem).
    for (let start = 0, line = 1; start <= bytes.length; line++) {
      const nl = bytes.indexOf(0x0a, start);
      const end = nl < 0 ? bytes.length : nl;
      try {
        new TextDecoder('utf-8', { fatal: true }).decode(bytes.subarray(start, end));
      } catch {
        problems.push({ line, code: 'IMPORT.NOT_UTF8', message });
      }
      if (nl < 0) break;
      start = nl + 1;
    }
    return { problems };
  }
};

const ALLOWED_KEYS = new Set(['command', 'payload', 'idempotencyKey']);

/**
 * Parses every line of an import file and checks its shape (JSON, known command that may be
 * imported, payload DTO).
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
    // JSON.parse keeps the last of two values for one name: such a line is refused, as over HTTP.
    const duplicate = countKeys(obj) === countJsonNames(raw, Number.MAX_SAFE_INTEGER) ? null : duplicateName(raw);
    if (duplicate !== null) {
      problems.push({ line, code: 'IMPORT.DUPLICATE_FIELD', message: `names ${duplicate} twice; give each field once` });
      continue;
    }
    const extra = Object.keys(obj).filter((k) => !ALLOWED_KEYS.has(k));
    if (extra.length) problems.push({ line, code: 'IMPORT.UNKNOWN_FIELD', message: `unknown field(s): ${extra.join(', ')}` });
    if (typeof obj.command !== 'string' || !registry.has(obj.command)) {
      problems.push({ line, code: 'COMMAND.UNKNOWN', message: `unknown command ${JSON.stringify(obj.command)}` });
      continue;
    }
    const httpOnly = registry.get(obj.command).httpOnly;
    if (httpOnly) {
      problems.push({ line, code: 'IMPORT.COMMAND_NOT_IMPORTABLE', message: `${obj.command} cannot be imported (${httpOnly.why}); use the HTTP route ${httpOnly.route}` });
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

/** The request a line makes: the same for the dry run and the real apply. */
export const importRequest = (l: ImportLine, actor: Actor): ExecuteRequest => ({ command: l.command, payload: l.payload, actor, idempotencyKey: l.idempotencyKey, correlationId: `import-${l.idempotencyKey}` });

/**
 * Runs every line through the real command path (role check, authorize, toCommand, decide, expected
 * revision, idempotency keys) against a DryRunStore over `store`, so later lines see earlier lines'
 * effects and nothing is written. A refused line is reported and its effects are simply absent;
 * the run goes on, so every refusal is named at once (a later line may fail only because of it).
 * Closing a centre reads what other streams hold for it: from `engine`'s views of `store` when given
 * (else a scan of `store`), plus the dry run's own appends, so money recorded earlier in the file
 * stops a line that closes its centre before it.
 */
export const dryRunImport = async (store: EventStore, registry: CommandRegistry, lines: ImportLine[], actor: Actor, engine: ProjectionEngine | null = null): Promise<ImportProblem[]> => {
  const overlay = new DryRunStore(store);
  const activity = centreActivity(engine ? viewBase(engine, store) : scanBase(store), historyReader(overlay), () => overlay.ownEvents());
  // No projection engine and no publisher: nothing outside the overlay hears of a dry run.
  const executor = new CommandExecutor(overlay, registry, null, undefined, undefined, activity);
  const problems: ImportProblem[] = [];
  try {
    for (const l of lines) {
      try {
        await executor.execute(importRequest(l, actor));
      } catch (e) {
        // A stream hard-deleted on the EventStoreDB node is a definite answer about the line (it can
        // never be applied as the ledger stands), so it is told with the line, as a refusal is.
        if (e instanceof DomainError || e instanceof StreamDeletedOnNodeError) problems.push({ line: l.line, code: e.code, message: e.message });
        else throw e;
      }
    }
    return problems;
  } finally {
    await overlay.close();
  }
};
