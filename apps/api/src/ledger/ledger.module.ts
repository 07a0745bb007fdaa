import { DynamicModule, Global, Inject, Module, OnApplicationShutdown, OnModuleInit } from '@nestjs/common';
import { CqrsModule, EventBus } from '@nestjs/cqrs';
import { CommandExecutor } from '../../../../libs/application/src/command-executor';
import { CommandRegistry } from '../../../../libs/application/src/command-registry';
import { ProjectionEngine } from '../../../../libs/application/src/projection-engine';
import { MemorySnapshotStore, SnapshotStore, SqliteSnapshotStore } from '../../../../libs/application/src/snapshot-store';
import { createEventStore } from '../../../../libs/event-store/src/create-event-store';
import { EventStore } from '../../../../libs/event-store/src/port';
import { SqliteEventStore } from '../../../../libs/event-store/src/sqlite-event-store';
import { ALL_PROJECTIONS } from '../../../../libs/projections/src';
import { TokenService } from '../auth/token.service';
import { LedgerConfig } from '../config';
import { CommandGateway } from './command-gateway';
import { LedgerCommandHandler, LedgerEventsAppended } from './ledger-command';
import { QueryGate } from './query-gate';
import { EVENT_STORE, LEDGER_CONFIG } from './tokens';

const snapshotStoreFor = (store: EventStore, config: LedgerConfig): SnapshotStore => {
  if (store instanceof SqliteEventStore) return new SqliteSnapshotStore(store.db, { writeIntent: store.writeIntent });
  if (store.kind === 'eventstoredb') return new SqliteSnapshotStore(new SqliteEventStore({ path: `${config.sqlitePath}.views` }).db);
  return new MemorySnapshotStore();
};

class LedgerLifecycle implements OnModuleInit, OnApplicationShutdown {
  constructor(@Inject(ProjectionEngine) private readonly engine: ProjectionEngine, @Inject(EVENT_STORE) private readonly store: EventStore) {}
  async onModuleInit(): Promise<void> {
    await this.engine.start();
  }
  async onApplicationShutdown(): Promise<void> {
    await this.engine.stop();
    await this.store.close();
  }
}

/** The ledger's ports and services, shared by every feature module. */
@Global()
@Module({})
export class LedgerModule {
  static forRoot(config: LedgerConfig, store?: EventStore): DynamicModule {
    return {
      module: LedgerModule,
      imports: [CqrsModule.forRoot()],
      providers: [
        { provide: LEDGER_CONFIG, useValue: config },
        { provide: EVENT_STORE, useFactory: () => store ?? createEventStore(config) },
        { provide: CommandRegistry, useFactory: () => new CommandRegistry() },
        {
          provide: ProjectionEngine,
          inject: [EVENT_STORE],
          useFactory: (s: EventStore) => new ProjectionEngine(s, ALL_PROJECTIONS, snapshotStoreFor(s, config)),
        },
        {
          provide: CommandExecutor,
          inject: [EVENT_STORE, CommandRegistry, ProjectionEngine, EventBus],
          useFactory: (s: EventStore, r: CommandRegistry, e: ProjectionEngine, bus: EventBus) =>
            new CommandExecutor(s, r, e, (outcome) => bus.publish(new LedgerEventsAppended(outcome))),
        },
        { provide: TokenService, useFactory: () => new TokenService(config) },
        LedgerCommandHandler,
        CommandGateway,
        QueryGate,
        LedgerLifecycle,
      ],
      exports: [LEDGER_CONFIG, EVENT_STORE, CommandRegistry, ProjectionEngine, CommandExecutor, TokenService, CommandGateway, QueryGate, CqrsModule],
    };
  }
}
