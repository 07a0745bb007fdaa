import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { ProjectionEngine } from '../../../../libs/application/src/projection-engine';
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
    description: 'The store answered; `viewsPosition` below `headPosition` means the views are still catching up',
    schema: {
      type: 'object',
      required: ['status', 'store', 'headPosition', 'viewsPosition', 'eventsSkippedByProjections'],
      properties: {
        status: { type: 'string', enum: ['ok'] },
        store: { type: 'string', enum: ['sqlite', 'eventstoredb', 'memory'] },
        headPosition: { type: 'integer', description: 'the log\'s last global position' },
        viewsPosition: { type: 'integer', description: 'the position every view has folded up to' },
        eventsSkippedByProjections: { type: 'object', additionalProperties: { type: 'integer' }, description: 'events a projection could not fold, counted by projection (empty when none)' },
      },
    },
  })
  async health() {
    const head = await this.store.headPosition();
    return { status: 'ok', store: this.store.kind, headPosition: head, viewsPosition: this.engine.position, eventsSkippedByProjections: { ...skippedEvents } };
  }
}
