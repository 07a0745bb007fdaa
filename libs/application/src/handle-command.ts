import { createHash, randomUUID } from 'node:crypto';
import { Actor, DecideContext, DomainError, DomainEvent } from '../../domain/src/shared';
import { canonicalJson } from '../../event-store/src/canonical-json';
import { newEventId } from '../../event-store/src/event-id';
import { ConcurrentChangeError, IdempotencyKeyTakenError, StoreOutcomeUnknownError, WrongExpectedRevisionError } from '../../event-store/src/errors';
import { AppendConditions, AppendResult, EventStore, EventToAppend, IdempotencyRecord, MAX_PAGE, NothingAfter } from '../../event-store/src/port';
import { AnyCommandDefinition, CommandIO } from './command-definition';
import { eventsOfTypes } from './events-of-types';
import { CentreActivity, centreActivity, historyReader, scanBase } from './counties/centre-activity';

export interface CommandMeta {
  actor: Actor;
  correlationId?: string;
  causationId?: string | null;
  idempotencyKey?: string | null;
}

export interface CommandOutcome {
  result: AppendResult;
  /** The events this call appended (empty for an idempotent replay or a no-op). */
  events: EventToAppend[];
  replayed: boolean;
}

const MAX_ATTEMPTS = 5;
/** How long a retry waits for a key claimed by a request still in flight (EventStoreDB): 40 × 50 ms. */
const IN_FLIGHT_POLLS = 40;
const IN_FLIGHT_POLL_MS = 50;

/**
 * What a retry must repeat exactly: the command, its payload (what the client sent: see
 * idempotencyPayload) and who sends it. Keys are per sender (claimed as actor id + key); the sender
 * stays in the hash so a receipt stored before that (the key alone) answers only its own sender.
 */
export const requestHash = (name: string, payload: unknown, actorId: string): string =>
  createHash('sha256').update(canonicalJson({ command: name, payload, actorId })).digest('hex');

/** Reads every page of a stream and folds it: step 1 and 2 of the command path. */
export const loadStream = async <S>(store: EventStore, streamId: string, decider: { initialState: () => S; evolve: (s: S, e: any) => S }): Promise<{ state: S; revision: number }> => {
  let state = decider.initialState();
  let revision = -1;
  for (;;) {
    const page = await store.readStream(streamId, { fromRevision: revision + 1 });
    for (const e of page) state = decider.evolve(state, e);
    if (page.length > 0) revision = page[page.length - 1].revision;
    // A short page is the last one: saves a second query on every command.
    if (page.length < MAX_PAGE) break;
  }
  return { state, revision };
};

export interface HandleCommandDeps {
  store: EventStore;
  clock?: () => Date;
  newId?: () => string;
  /**
   * What other streams hold for a centre (closing a centre reads it). Default: read from the store
   * directly, a scan of the log (see centre-activity.ts); the CommandExecutor passes one that reads
   * the projection engine's views when it has an engine.
   */
  centreActivity?: CentreActivity;
}

/**
 * The command path: read → fold → decide → append with the expected revision,
 * re-deciding on a conflict (bounded). Idempotency keys are claimed atomically with the append.
 */
export const handleCommand = (deps: HandleCommandDeps, def: AnyCommandDefinition, payload: object, meta: CommandMeta): Promise<CommandOutcome> =>
  commandPath(deps, def, payload, meta, false) as Promise<CommandOutcome>;

/**
 * The answer the sender's receipt under this key holds for this very request (same command, payload
 * and sender: the hash handleCommand computes, with its lookup and the legacy fallback), after the
 * command's access check; null when there is none (no key, no receipt, a receipt of another request,
 * or access refused). Decides nothing and records nothing: for a retry whose body a request check
 * added since refuses (the HTTP layer asks only on such a refusal).
 */
export const answerFromReceipt = (deps: HandleCommandDeps, def: AnyCommandDefinition, payload: object, meta: CommandMeta): Promise<CommandOutcome | null> =>
  commandPath(deps, def, payload, meta, true);

const commandPath = async (deps: HandleCommandDeps, def: AnyCommandDefinition, payload: object, meta: CommandMeta, receiptOnly: boolean): Promise<CommandOutcome | null> => {
  const { store } = deps;
  const clock = deps.clock ?? (() => new Date());
  const newId = deps.newId ?? randomUUID;
  const key = meta.idempotencyKey ?? null;
  // A key belongs to its sender (the token's subject): another sender's key never collides with it, nor tells it exists.
  const sender = meta.actor.id;
  if (key && !sender) throw new Error('An Idempotency-Key needs a sender: the actor has no id.');
  let hash: string;
  try {
    hash = key ? requestHash(def.name, def.idempotencyPayload ? def.idempotencyPayload(payload) : payload, sender) : '';
  } catch (e) {
    // A body no check has passed may not be what the command's idempotencyPayload reads: it is no recorded request.
    if (receiptOnly) return null;
    throw e;
  }

  /**
   * The sender's record of the key; on EventStoreDB a key claimed by a request still in flight is
   * waited for briefly. A key nobody holds (never claimed, or released because its request was
   * refused) is null at once: waiting on it only ended in IDEMPOTENCY_KEY_IN_FLIGHT for a free key.
   */
  const lookup = async (): Promise<IdempotencyRecord | null> => {
    for (let poll = 0; ; poll++) {
      let found: IdempotencyRecord | null = null;
      let inFlight = false;
      try {
        found = await store.findIdempotency(key!, sender);
      } catch (e) {
        if (!(e instanceof IdempotencyKeyTakenError)) throw e;
        inFlight = true;
      }
      if (found || !inFlight) return found;
      if (poll >= IN_FLIGHT_POLLS) {
        throw new DomainError('IDEMPOTENCY_KEY_IN_FLIGHT', 'A request with this Idempotency-Key is still being recorded; retry it in a moment.', 'conflict', { idempotencyKey: key });
      }
      await new Promise((r) => setTimeout(r, IN_FLIGHT_POLL_MS));
    }
  };

  /**
   * A receipt a ledger stored before keys were per sender (the key alone), when it is this sender's:
   * its request hash is this request's (the hash covers the sender), or its events were recorded by
   * this sender ('reused': another request of theirs under the key, never recorded twice). Another
   * sender's does not concern this request; nor does one whose sender cannot be told (its append
   * recorded nothing, or its first event is not where it says), which has recorded nothing twice.
   * Such receipts are never written any more, so the answer is looked for once per request.
   */
  let legacyFound: Promise<IdempotencyRecord | 'reused' | null> | undefined;
  const legacy = (): Promise<IdempotencyRecord | 'reused' | null> =>
    (legacyFound ??= (async () => {
      let found: IdempotencyRecord | null;
      try {
        found = await store.findIdempotency(key!, null);
      } catch (e) {
        // EventStoreDB: an old claim never answered (its writer stopped in between); whose it was cannot be told.
        if (e instanceof IdempotencyKeyTakenError) return null;
        throw e;
      }
      if (!found || found.requestHash === hash) return found;
      return (await recordedBy(found.result)) === sender ? 'reused' : null;
    })());
  /** Who recorded an append's events (its first event's actor), or null when it recorded none or they are not where it says. */
  const recordedBy = async (r: AppendResult): Promise<string | null> => {
    if (!Array.isArray(r.eventIds) || r.eventIds.length === 0) return null;
    const [first] = await store.readStream(r.streamId, { fromRevision: r.revision - r.eventIds.length + 1, maxCount: 1 });
    return first?.eventId === r.eventIds[0] ? first.metadata.actorId : null;
  };

  const replay = async (): Promise<CommandOutcome | null> => {
    if (!key) return null;
    const found = (await lookup()) ?? (await legacy());
    if (!found) return null;
    if (found === 'reused' || found.requestHash !== hash) {
      throw new DomainError('IDEMPOTENCY_KEY_REUSED', 'You already used this Idempotency-Key for a different request; use a new key for a new request.', 'conflict', { idempotencyKey: key });
    }
    return { result: found.result, events: [], replayed: true };
  };

  // Access first: someone without the right to this write learns nothing about a key, not even
  // that it exists (403, not 409), and a retry after access was withdrawn is refused too.
  // The cross-stream readers are made only when a command asks (closing a centre, registering a county or party).
  let activity = deps.centreActivity;
  // What authorize read: a command may decide its first attempt on it (the funding commands reuse the centre they authorized on).
  const authorizeReads = new Map<string, number>();
  const io: CommandIO = {
    load: async <S>(streamId: string, decider: { initialState: () => S; evolve: (state: S, event: any) => S }) => {
      const loaded = await loadStream(store, streamId, decider);
      if (!authorizeReads.has(streamId)) authorizeReads.set(streamId, loaded.revision);
      return loaded;
    },
    get centreActivity() {
      return (activity ??= centreActivity(scanBase(store), historyReader(store)));
    },
    eventsOfTypes: (types) => eventsOfTypes(store, types),
  };
  if (receiptOnly) {
    if (!key) return null;
    try {
      // The receipt first: a payload whose hash is a receipt's is one the command path took before
      // (the access check is never run on a body no check has passed).
      const found = await replay();
      if (found) await def.authorize(meta.actor, payload, io);
      return found;
    } catch (e) {
      // The key holds another request, or access was withdrawn since: no receipt answers this one.
      if (e instanceof DomainError) return null;
      throw e;
    }
  }
  await def.authorize(meta.actor, payload, io);

  if (key) {
    const first = await replay();
    if (first) return first;
  }

  try {
    return await decideAndAppend();
  } catch (e) {
    // A request that lost the race to its own retry sees the winner's events and may be refused by
    // the rules (e.g. "already registered"): the key's record, if there is one now, is the answer.
    // Not after an unconfirmed write (EventStoreDB): its own claim is kept on purpose, and waiting
    // on it turned the documented 503 STORE.OUTCOME_UNKNOWN into 409 IDEMPOTENCY_KEY_IN_FLIGHT.
    if (key && e instanceof DomainError && !(e instanceof StoreOutcomeUnknownError)) {
      const again = await replay();
      if (again) return again;
    }
    throw e;
  }

  /**
   * The IO of one decision: what it reads outside its own stream becomes the append's conditions
   * (AppendConditions), so a write that lands in between makes the store refuse the append and the
   * command is decided again on what is recorded now. Streams it loads must stay at the revision
   * read (a centre closed meanwhile); a cross-stream read (the facts a closing weighs, the
   * registrations a uniqueness rule weighs) must not have missed anything that affects it.
   * `readBefore`: streams already read (by authorize) that the decision may rest on.
   */
  function decisionIo(ownStream: string, readBefore: ReadonlyMap<string, number>): { io: CommandIO; conditions: () => AppendConditions | undefined } {
    const streams = new Map([...readBefore].filter(([id]) => id !== ownStream));
    const nothingAfter: NothingAfter[] = [];
    const decisionIo: CommandIO = {
      load: async <S>(id: string, decider: { initialState: () => S; evolve: (state: S, event: any) => S }) => {
        const loaded = await loadStream(store, id, decider);
        // The first read is the one the decision may rest on; the command's own stream has its expected revision.
        if (id !== ownStream && !streams.has(id)) streams.set(id, loaded.revision);
        return loaded;
      },
      get centreActivity() {
        const inner = io.centreActivity!;
        const activity: CentreActivity = {
          factsFrom: async (centre, from) => {
            const read = await inner.factsFrom(centre, from);
            nothingAfter.push(read.unchangedSince);
            return read;
          },
        };
        return activity;
      },
      eventsOfTypes: async (types, relevant) => {
        // Read before the events: eventsOfTypes reads up to a head at least this far.
        const after = await store.headPosition();
        const events = await eventsOfTypes(store, types);
        nothingAfter.push({ after, affects: (e) => types.includes(e.type) && (relevant === undefined || relevant(e.data)) });
        return events;
      },
      relyOn: (condition) => {
        nothingAfter.push(condition);
      },
    };
    return {
      io: decisionIo,
      conditions: () => (streams.size === 0 && nothingAfter.length === 0 ? undefined : { streams: [...streams].map(([streamId, revision]) => ({ streamId, revision })), nothingAfter }),
    };
  }

  async function decideAndAppend(): Promise<CommandOutcome> {
    const streamId = def.stream(payload);
    const correlationId = meta.correlationId ?? newId();

    for (let attempt = 1; ; attempt++) {
      // Later attempts read afresh: only the first may rest on what authorize read.
      const decision = decisionIo(streamId, attempt === 1 ? authorizeReads : new Map());
      const command = await def.toCommand(payload, decision.io, meta.actor);
      const { state, revision } = await loadStream(store, streamId, def.decider);
      // The clock is read when a rule first asks for "now" (most commands never do), once per attempt.
      let now: string | undefined;
      const ctx: DecideContext = {
        get now() {
          return (now ??= clock().toISOString());
        },
        newId,
        actor: meta.actor,
      };
      const decided: DomainEvent[] = def.decider.decide(command, state, ctx);
      const toAppend: EventToAppend[] = decided.map((e) => ({
        eventId: deps.newId ? deps.newId() : newEventId(),
        type: e.type,
        data: e.data,
        schemaVersion: def.schemaVersions?.[e.type] ?? 1,
        metadata: {
          actorId: meta.actor.id,
          actorRole: meta.actor.actingRole,
          correlationId,
          causationId: meta.causationId ?? null,
          idempotencyKey: key,
        },
      }));
      try {
        const result = await store.append(streamId, toAppend, revision === -1 ? 'no_stream' : revision, key ? { actorId: sender, key, requestHash: hash } : undefined, decision.conditions());
        return { result, events: toAppend, replayed: false };
      } catch (e) {
        if (e instanceof IdempotencyKeyTakenError) {
          // Someone (a retry of this very request, by the same sender) claimed the key first: answer with its result.
          const again = await replay();
          if (again) return again;
          // Released meanwhile (that request was refused, nothing recorded): the key is free, decide again.
          if (attempt < MAX_ATTEMPTS) continue;
          throw e;
        }
        if ((e instanceof WrongExpectedRevisionError || e instanceof ConcurrentChangeError) && attempt < MAX_ATTEMPTS) continue;
        throw e;
      }
    }
  }
};
