import { Module } from '@nestjs/common';

/** HTTP routes of the governance feature (filled in by its issue). */
@Module({ controllers: [] })
export class GovernanceModule {}
