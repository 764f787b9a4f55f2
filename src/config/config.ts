import 'reflect-metadata';
import { plainToInstance, Transform } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';
import { DEFAULT_SECURITY_OPTIONS as LIMITS, Exposure, LimitsStore } from '../security/security-options';

/** An environment variable holding a whole number in [min, max], `fallback` when unset. */
function WholeNumber(name: string, min: number, max: number, fallback: number): PropertyDecorator {
  const message = `${name} must be a whole number between ${min} and ${max}`;
  const decorators = [
    Transform(({ value }) => (value === undefined || value === '' ? fallback : Number(value))),
    IsInt({ message }),
    Min(min, { message }),
    Max(max, { message }),
  ];
  return (target, property) => decorators.forEach((decorate) => decorate(target, property));
}

const EXPOSURES = Object.values(Exposure);
const ORIGIN = 'https?://[A-Za-z0-9.-]+(:[0-9]{1,5})?';
const PROXY = '[0-9A-Fa-f.:/]+|loopback|linklocal|uniquelocal';

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

  /** Comma-separated URLs of read replicas of DATABASE_URL: the exports read from them. */
  @Matches(/^(postgres(ql)?:\/\/[^\s,]+(\s*,\s*postgres(ql)?:\/\/[^\s,]+)*)?$/, {
    message: 'DATABASE_REPLICA_URLS must be a comma-separated list of postgres:// or postgresql:// connection URLs',
  })
  DATABASE_REPLICA_URLS = '';

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

  /** `json`: one JSON object per line; `pretty`: readable text, for a terminal. */
  @IsIn(['json', 'pretty'], { message: 'LOG_FORMAT must be json or pretty' })
  LOG_FORMAT: 'json' | 'pretty' = 'json';

  /** Longest a single SQL statement of a request may run; 0: no limit. */
  @WholeNumber('DATABASE_STATEMENT_TIMEOUT_SECONDS', 0, 3600, 30)
  DATABASE_STATEMENT_TIMEOUT_SECONDS = 30;

  // Limits on GraphQL requests (src/security/graphql-limits.ts).
  @WholeNumber('GRAPHQL_MAX_DEPTH', 2, 100, LIMITS.maxDepth)
  GRAPHQL_MAX_DEPTH = LIMITS.maxDepth;

  @WholeNumber('GRAPHQL_MAX_COST', 100, 100_000_000, LIMITS.maxCost)
  GRAPHQL_MAX_COST = LIMITS.maxCost;

  @WholeNumber('GRAPHQL_MAX_ALIASES', 0, 10_000, LIMITS.maxAliases)
  GRAPHQL_MAX_ALIASES = LIMITS.maxAliases;

  @WholeNumber('GRAPHQL_MAX_BATCH', 1, 100, LIMITS.maxBatch)
  GRAPHQL_MAX_BATCH = LIMITS.maxBatch;

  @WholeNumber('GRAPHQL_MAX_TOKENS', 100, 1_000_000, LIMITS.maxTokens)
  GRAPHQL_MAX_TOKENS = LIMITS.maxTokens;

  /** Default: `researchers` in production, `everyone` otherwise (loadConfig). */
  @IsIn(EXPOSURES, { message: `GRAPHQL_INTROSPECTION must be one of ${EXPOSURES.join(', ')}` })
  GRAPHQL_INTROSPECTION: Exposure = Exposure.EVERYONE;

  /** "Did you mean ...?" in error messages. Default as GRAPHQL_INTROSPECTION. */
  @IsIn(EXPOSURES, { message: `GRAPHQL_SUGGESTIONS must be one of ${EXPOSURES.join(', ')}` })
  GRAPHQL_SUGGESTIONS: Exposure = Exposure.EVERYONE;

  /** Default: false in production, true otherwise (loadConfig). */
  @Transform(({ value }) => parseBoolean(value, true))
  @IsBoolean({ message: 'GRAPHIQL must be true or false' })
  GRAPHIQL = true;

  // HTTP protections (src/security/http-security.ts).
  @WholeNumber('MAX_BODY_BYTES', 1024, 100 * 1024 * 1024, LIMITS.bodyLimit)
  MAX_BODY_BYTES = LIMITS.bodyLimit;

  /** Comma-separated origins (https://app.example.org) allowed to call the API from a browser. */
  @Matches(new RegExp(`^(${ORIGIN}(\\s*,\\s*${ORIGIN})*)?$`), {
    message: 'CORS_ORIGINS must be a comma-separated list of origins such as https://app.example.org (scheme, host and port only)',
  })
  CORS_ORIGINS = '';

  /** false, true, a number of proxy hops, or comma-separated proxy addresses or CIDR ranges. */
  @Matches(new RegExp(`^(true|false|[0-9]{1,2}|(${PROXY})(\\s*,\\s*(${PROXY}))*)$`), {
    message: 'TRUST_PROXY must be false, true, a number of hops, or comma-separated proxy addresses or CIDR ranges',
  })
  TRUST_PROXY = 'false';

  // Rate limits (src/security/rate-limits.ts); 0 turns a limit off.
  @WholeNumber('RATE_LIMIT_WINDOW_SECONDS', 1, 86_400, LIMITS.rateLimitWindowMs / 1000)
  RATE_LIMIT_WINDOW_SECONDS = LIMITS.rateLimitWindowMs / 1000;

  @WholeNumber('RATE_LIMIT_PER_ADDRESS', 0, 1_000_000, LIMITS.rateLimitPerAddress)
  RATE_LIMIT_PER_ADDRESS = LIMITS.rateLimitPerAddress;

  @WholeNumber('RATE_LIMIT_PER_TOKEN', 0, 1_000_000, LIMITS.rateLimitPerToken)
  RATE_LIMIT_PER_TOKEN = LIMITS.rateLimitPerToken;

  @WholeNumber('AUTH_FAILURE_LIMIT', 0, 1_000_000, LIMITS.authFailureLimit)
  AUTH_FAILURE_LIMIT = LIMITS.authFailureLimit;

  @WholeNumber('AUTH_FAILURE_WINDOW_SECONDS', 1, 86_400, LIMITS.authFailureWindowMs / 1000)
  AUTH_FAILURE_WINDOW_SECONDS = LIMITS.authFailureWindowMs / 1000;

  /** Where the rate-limit counters and export slots live: `postgres`, shared by every instance on
   * the database, or `memory`, this process's own (one instance only). */
  @IsIn(Object.values(LimitsStore), { message: `LIMITS_STORE must be one of ${Object.values(LimitsStore).join(', ')}` })
  LIMITS_STORE: LimitsStore = LIMITS.limitsStore;
}

/** Defaults that differ in production: nothing that helps a stranger map the API, no demo data. */
const PRODUCTION_DEFAULTS: Record<string, string> = {
  DEMO_DATA: 'false',
  GRAPHQL_INTROSPECTION: Exposure.RESEARCHERS,
  GRAPHQL_SUGGESTIONS: Exposure.RESEARCHERS,
  GRAPHIQL: 'false',
};

/** Passwords found in examples, images and tutorials; a database holding testimony of abuse must
 * not be one guess away. Compared case-insensitively. */
const WELL_KNOWN_PASSWORDS = new Set([
  'postgres', 'postgrespassword', 'password', 'password1', 'password123', 'passw0rd', 'changeme', 'change-me', 'changeit',
  'secret', 'admin', 'root', 'vigil', 'vigil-embedded', 'example', 'test', 'default', 'letmein', '123456', '12345678', '...',
]);
export const MIN_DATABASE_PASSWORD_LENGTH = 12;

function decoded(part: string): string {
  try {
    return decodeURIComponent(part);
  } catch {
    return part; // not percent-encoded: judged as written
  }
}

/** What keeps a production configuration from starting, one line per variable. Values are never
 * quoted: they are secrets. */
function productionProblems(config: VigilConfig): string[] {
  const problems: string[] = [];
  if (!config.DATABASE_URL) problems.push('DATABASE_URL: must be set in production (the embedded PostgreSQL is for development only)');
  else problems.push(...passwordProblems('DATABASE_URL', config.DATABASE_URL));
  replicaUrls(config).forEach((url, k) => problems.push(...passwordProblems(`DATABASE_REPLICA_URLS (item ${k + 1})`, url)));
  if (config.DEMO_DATA) problems.push('DEMO_DATA: must be false in production (the demo data is not a real record)');
  return problems;
}

/** Why a database URL's password will not do in production (`variable` names it). */
function passwordProblems(variable: string, text: string): string[] {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return [`${variable}: is not a valid URL`];
  }
  const password = decoded(url.password);
  const user = decoded(url.username);
  if (!password) return [`${variable}: has no password; production needs one`];
  if (WELL_KNOWN_PASSWORDS.has(password.toLowerCase()) || password.toLowerCase() === user.toLowerCase())
    return [`${variable}: its password is a well-known default; set a random one (e.g. \`openssl rand -hex 24\`)`];
  if (password.length < MIN_DATABASE_PASSWORD_LENGTH) return [`${variable}: its password is shorter than ${MIN_DATABASE_PASSWORD_LENGTH} characters`];
  return [];
}

/** The read replicas' URLs (DATABASE_REPLICA_URLS), in order. */
export function replicaUrls(config: Pick<VigilConfig, 'DATABASE_REPLICA_URLS'>): string[] {
  return config.DATABASE_REPLICA_URLS.split(',')
    .map((u) => u.trim())
    .filter(Boolean);
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
  if (env.NODE_ENV === 'production') Object.assign(raw, PRODUCTION_DEFAULTS);
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
  if (config.NODE_ENV === 'production') {
    const problems = productionProblems(config);
    if (problems.length > 0) throw new ConfigError(`Refusing to start in production:\n${problems.map((p) => `  ${p}`).join('\n')}`);
  }
  return config;
}
