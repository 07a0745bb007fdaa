import { Module } from '@nestjs/common';
import { GrantEvidenceController } from './grant-evidence.controller';
import { GrantsController } from './grants.controller';

/** HTTP routes of the grants feature: Vox's schemes, eligibility and allocation; evidence; stimulus grants. */
@Module({ controllers: [GrantsController, GrantEvidenceController] })
export class GrantsModule {}
