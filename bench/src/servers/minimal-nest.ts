/**
 * Baseline: the smallest NestJS app on Fastify (same Nest version as the ledger) with one route
 * returning a small constant JSON. Listens on 127.0.0.1:$PORT.
 */
import 'reflect-metadata';
import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';

@Controller()
class ConstantController {
  @Get('constant')
  constant() {
    return { ok: true, name: 'Karrieresenter Telemark', year: 2013 };
  }
}

@Module({ controllers: [ConstantController] })
class MinimalModule {}

const main = async (): Promise<void> => {
  const app = await NestFactory.create<NestFastifyApplication>(MinimalModule, new FastifyAdapter(), { logger: ['error'] });
  app.enableShutdownHooks();
  await app.listen(Number(process.env.PORT ?? 3999), '127.0.0.1');
  console.log('ready');
};

void main().catch((e) => {
  console.error(e);
  process.exit(1);
});
