import { NestFactory } from '@nestjs/core';
import { getDataSourceToken } from '@nestjs/typeorm';
import { FastifyAdapter, NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule, AppOptions } from './app.module';
import { VigilExceptionFilter } from './common/exception.filter';
import { VigilValidationPipe } from './common/validation.pipe';

/** Builds the Nest application on Fastify, ready to listen or to be called by tests. */
export async function createApp(options: AppOptions): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.register(options),
    new FastifyAdapter({ bodyLimit: 1024 * 1024 }),
    { bufferLogs: true },
  );
  app.useLogger(app.get(Logger));
  // Logs written while the app was built were buffered (bufferLogs); write them, and stop buffering.
  app.flushLogs();
  app.useGlobalPipes(new VigilValidationPipe(app.get(getDataSourceToken())));
  app.useGlobalFilters(new VigilExceptionFilter());
  await app.init();
  await app.getHttpAdapter().getInstance().ready();
  return app;
}
