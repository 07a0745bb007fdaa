import { Module } from '@nestjs/common';

/** HTTP routes of the funding feature (filled in by its issue). */
@Module({ controllers: [] })
export class FundingModule {}
