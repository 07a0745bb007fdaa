import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProjectionEngine } from '../../../../libs/application/src/projection-engine';
import { StreamDeletedOnNodeError } from '../../../../libs/event-store/src/errors';
import { EventStore } from '../../../../libs/event-store/src/port';
import { skippedEvents } from '../../../../libs/projections/src/projection';
import { Public } from '../auth/decorators';
import { EVENT_STORE } from '../ledger/tokens';

@ApiTags('health')
@Controller('health')
export class HealthController {
  constructor(@Inject(EVENT_STORE) private readonly store: EventStore, @Inject(ProjectionEngine) private readonly engine: ProjectionEngine) {}

  @Get()
  @Public()
  @ApiOperation({ summary: 'Liveness: the store answers and how far the views have read' })
  @ApiOkResponse({
    description:
      'The store answered (200 even when the views stopped: the server is alive); `viewsPosition` below `headPosition` means the views are still catching up, unless `viewsStopped` says they stopped there',
    schema: {
      type: 'object',
      required: ['status', 'store', 'headPosition', 'viewsPosition', 'eventsSkippedByProjections', 'viewsStopped'],
      properties: {
        status: { type: 'string', enum: ['ok'] },
        store: { type: 'string', enum: ['sqlite', 'eventstoredb', 'memory'] },
        headPosition: { type: 'integer', description: 'the log\'s last global position' },
        viewsPosition: { type: 'integer', description: 'the position every view has folded up to' },
        eventsSkippedByProjections: { type: 'object', additionalProperties: { type: 'integer' }, description: 'events a projection could not fold, counted by projection (empty when none)' },
        viewsStopped: {
          type: 'object',
          nullable: true,
          description:
            'null while the views follow the log; else why they stopped at `viewsPosition`: the code, message and details a read that needs them past it is answered with (`STORE.STREAM_DELETED`: a stream hard-deleted on the EventStoreDB node, `details.streamId` and `details.position` of its tombstone), and whether they go on by themselves once that passes (`retrying`: true until the node is restored)',
          required: ['code', 'message', 'details', 'retrying'],
          properties: {
            code: { type: 'string', example: 'STORE.STREAM_DELETED' },
            message: { type: 'string' },
            details: { type: 'object', additionalProperties: true },
            retrying: { type: 'boolean' },
          },
        },
      },
    },
  })
  async health() {
    const head = await this.store.headPosition();
    return { status: 'ok', store: this.store.kind, headPosition: head, viewsPosition: this.engine.position, eventsSkippedByProjections: { ...skippedEvents }, viewsStopped: this.viewsStopped() };
  }

  /** The views' stop, said without any internal error's text (the route is public): a deleted stream by its stable code and details, anything else as INTERNAL. */
  private viewsStopped(): { code: string; message: string; details: Record<string, unknown>; retrying: boolean } | null {
    const stopped = this.engine.viewsStopped;
    if (!stopped) return null;
    const e = stopped.error;
    if (e instanceof StreamDeletedOnNodeError) return { code: e.code, message: e.message, details: { ...e.details }, retrying: stopped.retrying };
    return { code: 'INTERNAL', message: 'The views stopped on an error (see the server log); reads that need them past `viewsPosition` cannot be answered (503 VIEWS.CATCHING_UP after their wait) until the server is restarted.', details: {}, retrying: stopped.retrying };
  }
}
