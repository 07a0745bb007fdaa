import { defineCommand } from '../../libs/application/src/command-definition';
import { Decider, DomainEvent } from '../../libs/domain/src/shared';

/** A tiny test-only command: each Tick records how many ticks the stream had when it was decided. */
export class TickPayload {
  streamId!: string;
  writer!: number;
  seq!: number;
}

export type TickEvent = DomainEvent<'Ticked', { writer: number; seq: number; countBefore: number }>;
export type TickCommand = { type: 'Tick'; writer: number; seq: number };

export const tickDecider: Decider<TickCommand, TickEvent, { count: number }> = {
  initialState: () => ({ count: 0 }),
  evolve: (s, e) => (e.type === 'Ticked' ? { count: s.count + 1 } : s),
  decide: (c, s) => [{ type: 'Ticked', data: { writer: c.writer, seq: c.seq, countBefore: s.count } }],
};

export const tickCommand = defineCommand({
  name: 'Tick',
  summary: 'test: one tick',
  payload: TickPayload,
  roles: ['admin'],
  stream: (p: TickPayload) => p.streamId,
  decider: tickDecider,
  authorize: () => undefined,
  refusals: [],
  toCommand: (p: TickPayload) => ({ type: 'Tick' as const, writer: p.writer, seq: p.seq }),
});
