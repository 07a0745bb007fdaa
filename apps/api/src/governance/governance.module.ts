import { Module } from '@nestjs/common';
import { AgreementsController } from './agreements.controller';
import { BoardsController } from './boards.controller';
import { CentreGovernanceController } from './centre-governance.controller';
import { PartiesController } from './parties.controller';

/** HTTP routes of the governance feature. */
@Module({ controllers: [PartiesController, AgreementsController, BoardsController, CentreGovernanceController] })
export class GovernanceModule {}
