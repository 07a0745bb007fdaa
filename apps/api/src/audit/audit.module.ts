import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';
import { ReportsController } from './reports.controller';

/** HTTP routes of the audit feature: history, single events, verify, digest, as-of positions; CSV/XLSX reports. */
@Module({ controllers: [AuditController, ReportsController] })
export class AuditModule {}
