import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';

/** Environment variables Vigil reads. Each one is documented in the README's configuration table. */
export class VigilConfig {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @Transform(({ value }) => (value === undefined || value === '' ? 3000 : Number(value)))
  @IsInt({ message: 'PORT must be a whole number between 1 and 65535' })
  @Min(1, { message: 'PORT must be a whole number between 1 and 65535' })
  @Max(65535, { message: 'PORT must be a whole number between 1 and 65535' })
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /** An external PostgreSQL server. When unset, Vigil starts an embedded PostgreSQL. */
  @IsOptional()
  @Matches(/^postgres(ql)?:\/\/[^\s]+$/, {
    message: 'DATABASE_URL must be a postgres:// or postgresql:// connection URL',
  })
  DATABASE_URL?: string;

  /** Where the embedded PostgreSQL keeps its data (git-ignored). */
  @IsString()
  EMBEDDED_PG_DIR = '.vigil/pgdata';

  @Transform(({ value }) => (value === undefined || value === '' ? 54329 : Number(value)))
  @IsInt({ message: 'EMBEDDED_PG_PORT must be a whole number between 1 and 65535' })
  @Min(1, { message: 'EMBEDDED_PG_PORT must be a whole number between 1 and 65535' })
  @Max(65535, { message: 'EMBEDDED_PG_PORT must be a whole number between 1 and 65535' })
  EMBEDDED_PG_PORT = 54329;

  /** Load the demo data when the database holds no incidents. */
  @Transform(({ value }) => parseBoolean(value, true))
  @IsBoolean({ message: 'DEMO_DATA must be true or false' })
  DEMO_DATA = true;

  @IsIn(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'])
  LOG_LEVEL = 'info';
}

function parseBoolean(value: unknown, fallback: boolean): unknown {
  if (value === undefined || value === '') return fallback;
  if (typeof value === 'boolean') return value;
  const text = String(value).toLowerCase();
  if (['true', '1', 'yes', 'on'].includes(text)) return true;
  if (['false', '0', 'no', 'off'].includes(text)) return false;
  return value;
}

export class ConfigError extends Error {}

/** Reads and validates configuration; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): VigilConfig {
  const known = Object.keys(new VigilConfig()).concat('DATABASE_URL');
  const raw: Record<string, unknown> = {};
  for (const key of known) if (env[key] !== undefined) raw[key] = env[key];
  const config = plainToInstance(VigilConfig, raw);
  const errors = validateSync(config, { skipMissingProperties: false });
  if (errors.length > 0) {
    const lines = errors.map((e) => {
      const reasons = Object.values(e.constraints ?? {}).join('; ');
      // A connection URL may carry a password: name the variable, never echo its value.
      const shown = e.property === 'DATABASE_URL' ? '' : `=${JSON.stringify(raw[e.property])}`;
      return `  ${e.property}${shown}: ${reasons}`;
    });
    throw new ConfigError(`Invalid configuration:\n${lines.join('\n')}`);
  }
  return config;
}
