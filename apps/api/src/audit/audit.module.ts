import { Module } from '@nestjs/common';

/** HTTP routes of the audit feature (filled in by its issue). */
@Module({ controllers: [] })
export class AuditModule {}
