import { Module } from '@nestjs/common';
import { AuditController } from './audit.controller';

/** HTTP routes of the audit feature: history, single events, verify, digest, as-of positions. */
@Module({ controllers: [AuditController] })
export class AuditModule {}
