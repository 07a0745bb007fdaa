import { Controller, Get, Inject } from '@nestjs/common';
import { ApiOperation, ApiTags } from '@nestjs/swagger';
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
  async health() {
    const head = await this.store.headPosition();
    return { status: 'ok', store: this.store.kind, headPosition: head, viewsPosition: this.engine.position, eventsSkippedByProjections: { ...skippedEvents } };
  }
}
