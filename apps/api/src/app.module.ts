import { DynamicModule, Module } from '@nestjs/common';
import { APP_FILTER, APP_GUARD, APP_INTERCEPTOR } from '@nestjs/core';
import { EventStore } from '../../../libs/event-store/src/port';
import { AuditModule } from './audit/audit.module';
import { AuthGuard } from './auth/auth.guard';
import { LedgerConfig } from './config';
import { CountiesController } from './counties/counties.controller';
import { FundingModule } from './funding/funding.module';
import { GovernanceModule } from './governance/governance.module';
import { GrantsModule } from './grants/grants.module';
import { HealthController } from './health/health.controller';
import { ErrorFilter } from './http/error.filter';
import { RefusedRetryInterceptor } from './http/refused-retry';
import { LedgerModule } from './ledger/ledger.module';

@Module({})
export class AppModule {
  static forRoot(config: LedgerConfig, store?: EventStore): DynamicModule {
    return {
      module: AppModule,
      imports: [
        LedgerModule.forRoot(config, store),
        GovernanceModule,
        FundingModule,
        GrantsModule,
        AuditModule,
      ],
      controllers: [HealthController, CountiesController],
      providers: [
        { provide: APP_GUARD, useClass: AuthGuard },
        { provide: APP_FILTER, useClass: ErrorFilter },
        // A retry of a keyed write whose body a request check added since refuses: answered from its receipt.
        { provide: APP_INTERCEPTOR, useClass: RefusedRetryInterceptor },
      ],
    };
  }
}
