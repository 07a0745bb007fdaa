import { Module } from '@nestjs/common';
import { PartiesController } from './parties.controller';

/** HTTP routes of the governance feature. */
@Module({ controllers: [PartiesController] })
export class GovernanceModule {}
