import { Module } from '@nestjs/common';

/** HTTP routes of the grants feature (filled in by its issue). */
@Module({ controllers: [] })
export class GrantsModule {}
