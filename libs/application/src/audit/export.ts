import { createReadStream, existsSync, mkdirSync, readdirSync, readFileSync, rmdirSync, rmSync, writeFileSync, openSync, writeSync, closeSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createInterface } from 'node:readline';
import { RecordedEvent } from '../../../domain/src/shared';
import { BULK_PAGE, EventStore, hasContiguousPositions } from '../../../event-store/src/port';
import { DIGEST_ALGORITHM, digestOfHeads, LogSource, logSourceOf, storedTextAltered, StreamHead, VerifiableItem } from './integrity';

/**
 * The offline audit export: everything an auditor needs to check the ledger on their own
 * machine, without the server and without the SQLite file.
 *
 *   events.jsonl          one stored event per line, in global position order, exactly as stored
 *   digest.json           the digest over every stream head at the exported position
 *   schema-versions.json  per event type, the schema versions present (and how many events)
 *   README.md             how to verify it with the CLI
 */
export const EXPORT_FORMAT = 'career-centre-ledger-export/1';
export const EVENTS_FILE = 'events.jsonl';
export const DIGEST_FILE = 'digest.json';
export const SCHEMA_FILE = 'schema-versions.json';
export const README_FILE = 'README.md';

export interface ExportDigest {
  format: string;
  algorithm: string;
  position: number;
  digest: string;
  events: number;
  streams: number;
  hashCoversPosition: boolean;
  /** Whether positions run without gaps (false for EventStoreDB's commit positions): verify checks gaps only then. */
  contiguousPositions: boolean;
  store: string;
  exportedAt: string;
  firstRecordedAt: string | null;
  lastRecordedAt: string | null;
}

export interface ExportResult extends ExportDigest {
  dir: string;
}

export const exportReadme = (d: ExportDigest): string => `# Audit export of the career centre ledger

Exported ${d.exportedAt} from a ${d.store} ledger: ${d.events.toLocaleString('en-US')} events in ${d.streams.toLocaleString('en-US')} streams,
global positions 1–${d.position} (recorded ${d.firstRecordedAt ?? '-'} to ${d.lastRecordedAt ?? '-'}).

| file | what it holds |
|---|---|
| \`${EVENTS_FILE}\` | every stored event, one JSON object per line, in global position order: event id, stream id, revision, position, type, schema version, data, metadata (actor, role, correlation id, causation id, idempotency key), recordedAt (server clock), prevHash, hash |
| \`${DIGEST_FILE}\` | the digest at position ${d.position}: \`${d.digest}\` |
| \`${SCHEMA_FILE}\` | the schema versions of each event type in this export |

## How the ledger protects itself

Each event's \`hash\` is SHA-256 over its canonical JSON (keys sorted, no whitespace) including
its position${d.hashCoversPosition ? '' : ' (not in this export: the store assigns positions after hashing)'} and \`prevHash\`, the hash of the previous event of the same stream.
The **digest** is one SHA-256 over \`position P\` and every stream's head (stream id, revision, hash)
up to position P, streams in code-unit order (${DIGEST_ALGORITHM}).
Changing, removing or reordering any event up to P changes a head, and so the digest.

## Verify this export on your own machine (no server, no database)

You need Node.js ≥ 20 and the ledger's source (the same version, or any later one):

\`\`\`sh
npm ci && npm run build
npx ledger verify --from-export ${'<this folder>'} --digest ${d.digest} --position ${d.position}
\`\`\`

It recomputes every event's hash, follows every stream's chain, checks that revisions${d.contiguousPositions ? ` and
positions have no gaps` : ` have no gaps
and positions only increase (this store's positions are commit positions, with gaps by design)`}, and recomputes the digest at position ${d.position}. It prints \`OK\` and
exits 0, or prints \`FAILED\` with, for every broken stream, the first event whose content no
longer matches (stream, revision, position) and any missing positions, and exits 1.

**Do not trust the digest inside this folder alone**: anyone who can change the export can
change \`${DIGEST_FILE}\` too. Compare it with a digest you obtained independently and kept
outside the ledger (\`GET /audit/digest?position=P\` as an auditor, or \`ledger verify\` on the
server, at an earlier date). A digest taken at an earlier position Q ≤ ${d.position} can be
checked against this export with \`--digest <it> --position Q\`.

Without \`--digest\`, \`verify --from-export\` checks the chains and the digest in \`${DIGEST_FILE}\`.
Add \`--json\` for a machine-readable report.
`;

/** Removes the folders an export made (`dir` up to `first`, the first one mkdir created), each only if empty. */
const removeMadeFolders = (dir: string, first: string): void => {
  const top = resolve(first);
  for (let d = resolve(dir); ; d = dirname(d)) {
    try {
      rmdirSync(d);
    } catch {
      return;
    }
    if (d === top || dirname(d) === d) return;
  }
};

/**
 * Writes the export into `dir` (created; must be empty), reading the store page by page. A row it
 * cannot read stops it with an error naming the row's position (nothing half-written is left: the
 * files it wrote, and the folders it made, are removed, as after any other failure).
 */
export const writeExport = async (store: EventStore, dir: string, options: { upTo?: number; now?: () => Date } = {}): Promise<ExportResult> => {
  if (existsSync(dir) && readdirSync(dir).length > 0) throw new Error(`${dir} is not empty; export into a new or empty folder`);
  const madeFrom = mkdirSync(dir, { recursive: true });
  const written: string[] = [];
  const create = (file: string): string => {
    const path = join(dir, file);
    written.push(path);
    return path;
  };
  try {
    const head = await store.headPosition();
    const upTo = Math.min(options.upTo ?? head, head);
    const heads = new Map<string, StreamHead>();
    const types = new Map<string, Map<number, number>>();
    let events = 0;
    let first: string | null = null;
    let last: string | null = null;
    const fd = openSync(create(EVENTS_FILE), 'w');
    try {
      // Read as `ledger verify` reads the log, so a row that no longer parses is named by its position.
      for await (const page of logSourceOf(store, upTo)) {
        let chunk = '';
        for (const item of page) {
          if (!item.ok) {
            const where = [item.streamId !== null ? `stream ${item.streamId}` : null, item.revision !== null ? `revision ${item.revision}` : null].filter((x) => x !== null).join(', ');
            throw new Error(`the event at position ${item.position ?? '?'}${where ? ` (${where})` : ''} cannot be read: ${item.reason}; nothing was exported (ledger verify names every damaged event)`);
          }
          const e = item.event;
          // Its stored text was altered in a way the parsed event (and so the export) would not show.
          if (item.altered) throw new Error(`the event at position ${e.position} (stream ${e.streamId}, revision ${e.revision}) cannot be exported: ${item.altered}; nothing was exported (ledger verify names every damaged event)`);
          chunk += `${JSON.stringify(e)}\n`;
          heads.set(e.streamId, { revision: e.revision, hash: e.hash });
          const versions = types.get(e.type) ?? new Map<number, number>();
          versions.set(e.schemaVersion, (versions.get(e.schemaVersion) ?? 0) + 1);
          types.set(e.type, versions);
          first ??= e.recordedAt;
          last = e.recordedAt;
          events++;
        }
        writeSync(fd, chunk);
      }
    } finally {
      closeSync(fd);
    }
    const digest: ExportDigest = {
      format: EXPORT_FORMAT,
      algorithm: DIGEST_ALGORITHM,
      position: upTo,
      digest: digestOfHeads(upTo, heads),
      events,
      streams: heads.size,
      hashCoversPosition: store.hashCoversPosition,
      contiguousPositions: hasContiguousPositions(store.kind),
      store: store.kind,
      exportedAt: (options.now ?? (() => new Date()))().toISOString(),
      firstRecordedAt: first,
      lastRecordedAt: last,
    };
    const schema = {
      format: EXPORT_FORMAT,
      eventTypes: Object.fromEntries(
        [...types.entries()].sort(([a], [b]) => (a < b ? -1 : 1)).map(([type, versions]) => [type, Object.fromEntries([...versions.entries()].sort(([a], [b]) => a - b).map(([v, n]) => [String(v), n]))]),
      ),
    };
    writeFileSync(create(DIGEST_FILE), `${JSON.stringify(digest, null, 2)}\n`);
    writeFileSync(create(SCHEMA_FILE), `${JSON.stringify(schema, null, 2)}\n`);
    writeFileSync(create(README_FILE), exportReadme(digest));
    return { ...digest, dir };
  } catch (e) {
    // The folder is left as it was found: an empty one stays, one this export made goes.
    for (const path of written) rmSync(path, { force: true });
    if (madeFrom !== undefined) removeMadeFolders(dir, madeFrom);
    throw e;
  }
};

export const readExportDigest = (dir: string): ExportDigest => {
  const d = JSON.parse(readFileSync(join(dir, DIGEST_FILE), 'utf8')) as ExportDigest;
  // Exports written before the field existed say which store they came from.
  return { ...d, contiguousPositions: d.contiguousPositions ?? hasContiguousPositions(d.store) };
};

const isEnvelope = (v: unknown): v is RecordedEvent => {
  const e = v as RecordedEvent;
  return (
    !!e && typeof e === 'object' && typeof e.eventId === 'string' && typeof e.streamId === 'string' && Number.isSafeInteger(e.revision) && Number.isSafeInteger(e.position) &&
    typeof e.type === 'string' && Number.isSafeInteger(e.schemaVersion) && typeof e.recordedAt === 'string' && typeof e.hash === 'string' && (e.prevHash === null || typeof e.prevHash === 'string')
  );
};

/** The exported log, line by line; a line that is not a stored event is reported at the position it should hold. */
export async function* exportSource(dir: string): LogSource {
  const lines = createInterface({ input: createReadStream(join(dir, EVENTS_FILE), 'utf8'), crlfDelay: Infinity });
  let batch: VerifiableItem[] = [];
  let lineNo = 0;
  let lastPosition = 0;
  for await (const line of lines) {
    lineNo++;
    if (line.trim() === '') continue;
    let item: VerifiableItem;
    try {
      const v = JSON.parse(line) as unknown;
      if (!isEnvelope(v)) throw new Error('not an event');
      // Each line is exactly JSON.stringify(event) (writeExport): other text for the same event was altered.
      const altered = storedTextAltered(`text of line ${lineNo}`, line, v);
      item = altered ? { ok: true, event: v, altered } : { ok: true, event: v };
      lastPosition = v.position;
    } catch {
      const partial = (() => {
        try {
          return JSON.parse(line) as Partial<RecordedEvent>;
        } catch {
          return {} as Partial<RecordedEvent>;
        }
      })();
      const position = Number.isSafeInteger(partial.position) ? (partial.position as number) : null;
      item = {
        ok: false,
        position,
        streamId: typeof partial.streamId === 'string' ? partial.streamId : null,
        revision: Number.isSafeInteger(partial.revision) ? (partial.revision as number) : null,
        hash: typeof partial.hash === 'string' ? partial.hash : null,
        reason: `line ${lineNo} (after position ${lastPosition}) is not a readable stored event`,
      };
    }
    batch.push(item);
    if (batch.length >= BULK_PAGE) {
      yield batch;
      batch = [];
    }
  }
  if (batch.length) yield batch;
}
