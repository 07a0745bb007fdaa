import 'reflect-metadata';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import { EventStore } from '../../../libs/event-store/src/port';
import { AppModule } from './app.module';
import { LedgerConfig } from './config';
import { ledgerValidationPipe } from './http/validation.pipe';

/** Builds the HTTP app (used by main and by the e2e tests). */
export const createApp = async (config: LedgerConfig, store?: EventStore): Promise<NestFastifyApplication> => {
  const adapter = new FastifyAdapter({ bodyLimit: config.bodyLimitBytes, logger: config.logLevel === 'info' });
  const app = await NestFactory.create<NestFastifyApplication>(AppModule.forRoot(config, store), adapter, {
    logger: config.logLevel === 'info' ? ['log', 'warn', 'error'] : ['error'],
  });
  app.useGlobalPipes(ledgerValidationPipe());
  app.enableShutdownHooks();
  const doc = new DocumentBuilder()
    .setTitle('Career centre ledger')
    .setDescription('Funding and governance ledger for Norway\'s county career centres. Every write is an event; every answer can be replayed.')
    .setVersion('0.1.0')
    .addBearerAuth()
    .build();
  SwaggerModule.setup('docs', app, () => SwaggerModule.createDocument(app, doc));
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
};
