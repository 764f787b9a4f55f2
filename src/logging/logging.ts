import { LoggerService } from '@nestjs/common';
import type { FastifyInstance } from 'fastify';
import pino from 'pino';
import { pinoHttp } from 'pino-http';

/** A URL without its query string: GET /graphql and export filters carry values there. */
export function pathOf(url: string | undefined): string {
  return (url ?? '').split('?')[0];
}

/** `json`: one JSON object per line (the default, for log collectors); `pretty`: for a person at
 * a terminal (LOG_FORMAT=pretty). */
export type LogFormat = 'json' | 'pretty';

/** The service's one pino logger: JSON lines unless `pretty` is asked for, credentials redacted.
 * Written synchronously, so a line logged just before the process exits is not lost. */
export function createRootLogger(level: string, destination?: pino.DestinationStream, format: LogFormat = 'json'): pino.Logger {
  return pino({ level, redact: ['req.headers.authorization', 'req.headers.cookie'] }, destination ?? stdoutIn(format));
}

function stdoutIn(format: LogFormat): pino.DestinationStream {
  if (format === 'json') return pino.destination({ dest: 1, sync: true });
  // Loaded only when asked for: production never needs it.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pretty = require('pino-pretty') as typeof import('pino-pretty');
  return pretty({ sync: true, colorize: process.stdout.isTTY === true, destination: 1 });
}

/**
 * Nest's logger (startup, the exception filter, `new Logger(context)` anywhere) writing to pino,
 * with the Nest context as `context`.
 *
 * Written here rather than taken from nestjs-pino: nestjs-pino binds a request logger to every
 * request through AsyncLocalStorage, which on Node 20 installs a promise hook that runs for every
 * promise the request creates. The benchmark's page read (bench/README.md) spent 29% of its CPU
 * on it; Vigil never used the request-bound logger.
 */
export class PinoNestLogger implements LoggerService {
  constructor(private readonly logger: pino.Logger) {}

  log(message: unknown, ...rest: unknown[]): void {
    this.write('info', message, rest);
  }
  error(message: unknown, ...rest: unknown[]): void {
    this.write('error', message, rest);
  }
  warn(message: unknown, ...rest: unknown[]): void {
    this.write('warn', message, rest);
  }
  debug(message: unknown, ...rest: unknown[]): void {
    this.write('debug', message, rest);
  }
  verbose(message: unknown, ...rest: unknown[]): void {
    this.write('trace', message, rest);
  }
  fatal(message: unknown, ...rest: unknown[]): void {
    this.write('fatal', message, rest);
  }

  /** Nest calls `level(message, ...params, context?)`; `error` may put a stack before the context. */
  private write(level: pino.Level, message: unknown, rest: unknown[]): void {
    if (!this.logger.isLevelEnabled(level)) return;
    const params = [...rest];
    const context = params.length && typeof params.at(-1) === 'string' ? (params.pop() as string) : undefined;
    const fields: Record<string, unknown> = context ? { context } : {};
    if (level === 'error' && typeof params[0] === 'string' && params[0].includes('\n    at ')) fields.stack = params.shift();
    if (message instanceof Error) this.logger[level]({ ...fields, err: message }, message.message);
    else if (typeof message === 'object' && message !== null) this.logger[level]({ ...fields, ...message });
    else this.logger[level](fields, String(message));
  }
}

/** One line per request when it ends (not for /health, polled by load balancers): method, path
 * without the query string, status, time. No body, no headers but the redacted ones. */
export function registerRequestLogging(fastify: FastifyInstance, logger: pino.Logger): void {
  const log = pinoHttp({
    logger,
    serializers: {
      req: (req: { id?: unknown; method?: string; url?: string }) => ({ id: req.id, method: req.method, path: pathOf(req.url) }),
      res: (res: { statusCode?: number }) => ({ statusCode: res.statusCode }),
    },
    autoLogging: { ignore: (req) => pathOf(req.url) === '/health' },
  });
  fastify.addHook('onRequest', (request, reply, done) => {
    log(request.raw, reply.raw);
    done();
  });
}
