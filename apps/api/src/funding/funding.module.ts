import { Module } from '@nestjs/common';
import { FundingController } from './funding.controller';

/** HTTP routes of the funding feature: money entries, corrections, staff positions, funding mix, key figures, cost-share compliance. */
@Module({ controllers: [FundingController] })
export class FundingModule {}
