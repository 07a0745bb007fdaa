import 'reflect-metadata';
import { INestApplicationContext, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { LedgerConfig, loadConfig } from '../../api/src/config';
import { LedgerModule } from '../../api/src/ledger/ledger.module';
import { Actor } from '../../../libs/domain/src/shared';
import { createEventStore } from '../../../libs/event-store/src/create-event-store';
import { ledgerPathProblem } from './ledger-path';

/** The CLI acts as a named system actor unless given a token. */
export const CLI_ACTOR: Actor = { id: 'ledger-cli', name: 'ledger CLI (local operator)', roles: ['admin'], counties: [], actingRole: 'admin' };

/**
 * The same ledger services the HTTP app uses (store, command bus, projections), without HTTP. A
 * failure to start them is thrown (abortOnError: false), so main prints one line, not Nest's stack trace.
 */
export const withLedger = async <T>(fn: (ctx: INestApplicationContext, config: LedgerConfig) => Promise<T>, config: LedgerConfig = loadConfig()): Promise<T> => {
  // The SQLite file is opened (and migrated) before Nest, so a file it refuses (NewerSchemaError: a newer version wrote it) is thrown as is, without Nest's logged stack.
  const store = config.store === 'sqlite' ? createEventStore(config) : undefined;
  @Module({ imports: [LedgerModule.forRoot(config, store)] })
  class CliModule {}
  const ctx = await NestFactory.createApplicationContext(CliModule, { logger: ['error'], abortOnError: false });
  try {
    return await fn(ctx, config);
  } finally {
    await ctx.close();
  }
};

export const progressBar = (done: number, total: number, width = 30): string => {
  const frac = total === 0 ? 1 : Math.min(1, done / total);
  const filled = Math.round(frac * width);
  return `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${(frac * 100).toFixed(1).padStart(5)}% ${done.toLocaleString('en-US')}/${total.toLocaleString('en-US')}`;
};

/**
 * Why the configured SQLite ledger may not be used (one line naming the path), or undefined; see
 * {@link ledgerPathProblem}. `create`: a ledger may be started where nothing exists yet (seed, import).
 */
export const ledgerProblem = (config: LedgerConfig, options: { create?: boolean } = {}): string | undefined =>
  config.store === 'sqlite' ? ledgerPathProblem(config.sqlitePath, options) : undefined;
