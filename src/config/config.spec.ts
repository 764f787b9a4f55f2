import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { securityOptionsFromConfig } from '../security/from-config';
import { ConfigError, loadConfig, VigilConfig } from './config';

describe('configuration', () => {
  it('has working defaults', () => {
    const config = loadConfig({});
    expect(config.PORT).toBe(3000);
    expect(config.DATABASE_URL).toBeUndefined();
    expect(config.DEMO_DATA).toBe(true);
  });

  it('reads values', () => {
    const config = loadConfig({ PORT: '8080', DATABASE_URL: 'postgresql://u:p@db:5432/vigil', DEMO_DATA: 'false' });
    expect(config).toMatchObject({ PORT: 8080, DATABASE_URL: 'postgresql://u:p@db:5432/vigil', DEMO_DATA: false });
  });

  it.each([
    [{ PORT: 'abc' }, /PORT="abc": PORT must be a whole number/],
    [{ PORT: '70000' }, /PORT="70000"/],
    [{ DATABASE_URL: 'mysql://x' }, /DATABASE_URL: DATABASE_URL must be a postgres:\/\//],
    [{ DEMO_DATA: 'maybe' }, /DEMO_DATA="maybe": DEMO_DATA must be true or false/],
    [{ NODE_ENV: 'staging' }, /NODE_ENV="staging"/],
    [{ LOG_FORMAT: 'xml' }, /LOG_FORMAT="xml": LOG_FORMAT must be json or pretty/],
  ])('stops on %p with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never echoes a database password', () => {
    expect(() => loadConfig({ DATABASE_URL: 'http://user:s3cret@host/db' })).toThrow(/^(?![\s\S]*s3cret)/);
  });
});

describe('limits and protections', () => {
  it('have defaults, and read values', () => {
    expect(loadConfig({})).toMatchObject({
      GRAPHQL_MAX_DEPTH: 10,
      GRAPHQL_MAX_COST: 50000,
      GRAPHQL_MAX_ALIASES: 30,
      GRAPHQL_MAX_BATCH: 10,
      GRAPHQL_MAX_TOKENS: 5000,
      GRAPHQL_INTROSPECTION: 'everyone',
      GRAPHQL_SUGGESTIONS: 'everyone',
      GRAPHIQL: true,
      MAX_BODY_BYTES: 1048576,
      CORS_ORIGINS: '',
      TRUST_PROXY: 'false',
      RATE_LIMIT_WINDOW_SECONDS: 60,
      RATE_LIMIT_PER_ADDRESS: 300,
      RATE_LIMIT_PER_TOKEN: 1200,
      AUTH_FAILURE_LIMIT: 10,
      AUTH_FAILURE_WINDOW_SECONDS: 900,
      DATABASE_STATEMENT_TIMEOUT_SECONDS: 30,
    });
    const config = loadConfig({
      GRAPHQL_MAX_COST: '2000',
      GRAPHQL_INTROSPECTION: 'nobody',
      CORS_ORIGINS: 'https://a.example.org, http://localhost:5173',
      TRUST_PROXY: '10.0.0.0/8,loopback',
      RATE_LIMIT_PER_ADDRESS: '0',
    });
    expect(securityOptionsFromConfig(config)).toMatchObject({
      maxCost: 2000,
      introspection: 'nobody',
      corsOrigins: ['https://a.example.org', 'http://localhost:5173'],
      trustProxy: ['10.0.0.0/8', 'loopback'],
      rateLimitPerAddress: 0,
      rateLimitWindowMs: 60000,
      authFailureWindowMs: 900000,
    });
    expect(securityOptionsFromConfig(loadConfig({ TRUST_PROXY: '1' })).trustProxy).toBe(1);
    expect(securityOptionsFromConfig(loadConfig({ TRUST_PROXY: 'true' })).trustProxy).toBe(true);
  });

  it.each([
    [{ GRAPHQL_MAX_DEPTH: 'deep' }, /GRAPHQL_MAX_DEPTH="deep": GRAPHQL_MAX_DEPTH must be a whole number between 2 and 100/],
    [{ GRAPHQL_MAX_COST: '-1' }, /GRAPHQL_MAX_COST="-1"/],
    [{ GRAPHQL_MAX_BATCH: '0' }, /GRAPHQL_MAX_BATCH="0"/],
    [{ GRAPHQL_INTROSPECTION: 'admins' }, /GRAPHQL_INTROSPECTION="admins": GRAPHQL_INTROSPECTION must be one of everyone, researchers, nobody/],
    [{ GRAPHIQL: 'perhaps' }, /GRAPHIQL="perhaps"/],
    [{ CORS_ORIGINS: '*' }, /CORS_ORIGINS="\*": CORS_ORIGINS must be a comma-separated list of origins/],
    [{ CORS_ORIGINS: 'https://a.example.org/path' }, /CORS_ORIGINS=/],
    [{ TRUST_PROXY: 'everyone' }, /TRUST_PROXY="everyone"/],
    [{ RATE_LIMIT_WINDOW_SECONDS: '0' }, /RATE_LIMIT_WINDOW_SECONDS="0"/],
    [{ MAX_BODY_BYTES: '1e9' }, /MAX_BODY_BYTES="1e9"/],
  ])('stop on %p with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(message);
  });
});

describe('production', () => {
  const SAFE_URL = 'postgresql://vigil:q8Vf3kLz0pWx2mNa@db:5432/vigil';
  const production = (env: Record<string, string>) => loadConfig({ NODE_ENV: 'production', ...env });

  it('starts with a database password that is not a default, and then hides the API map from strangers', () => {
    const config = production({ DATABASE_URL: SAFE_URL, DEMO_DATA: 'false' });
    expect(config).toMatchObject({ DEMO_DATA: false, GRAPHQL_INTROSPECTION: 'researchers', GRAPHQL_SUGGESTIONS: 'researchers', GRAPHIQL: false });
    // Unset DEMO_DATA means false in production; each default can still be changed.
    expect(production({ DATABASE_URL: SAFE_URL, GRAPHIQL: 'true', GRAPHQL_INTROSPECTION: 'everyone' })).toMatchObject({
      DEMO_DATA: false,
      GRAPHIQL: true,
      GRAPHQL_INTROSPECTION: 'everyone',
    });
    // Percent-encoded passwords are judged decoded.
    expect(() => production({ DATABASE_URL: 'postgresql://vigil:%70ostgres@db/vigil' })).toThrow(/well-known default/);
  });

  it.each([
    [{}, /DATABASE_URL: must be set in production \(the embedded PostgreSQL is for development only\)/],
    [{ DATABASE_URL: 'postgresql://vigil@db:5432/vigil' }, /DATABASE_URL: has no password/],
    [{ DATABASE_URL: 'postgresql://vigil:@db:5432/vigil' }, /DATABASE_URL: has no password/],
    ...['postgres', 'vigil', 'password', 'changeme', 'Password', 'vigil-embedded'].map((password) => [
      { DATABASE_URL: `postgresql://vigil:${password}@db:5432/vigil` },
      /DATABASE_URL: its password is a well-known default/,
    ]),
    [{ DATABASE_URL: 'postgresql://analyst1234567:analyst1234567@db/vigil' }, /DATABASE_URL: its password is a well-known default/],
    [{ DATABASE_URL: 'postgresql://vigil:Short-9x@db/vigil' }, /DATABASE_URL: its password is shorter than 12 characters/],
    [{ DATABASE_URL: SAFE_URL, DEMO_DATA: 'true' }, /DEMO_DATA: must be false in production/],
    [{ DATABASE_URL: SAFE_URL, DATABASE_REPLICA_URLS: `${SAFE_URL}, postgresql://vigil:postgres@replica/vigil` }, /DATABASE_REPLICA_URLS \(item 2\): its password is a well-known default/],
  ] as [Record<string, string>, RegExp][])('refuses to start with %p, naming the variable and never the password', (env, message) => {
    expect(() => production(env)).toThrow(ConfigError);
    expect(() => production(env)).toThrow(message);
    expect(() => production(env)).toThrow(/^Refusing to start in production:/);
    const password = env.DATABASE_URL ? new URL(env.DATABASE_URL).password : '';
    // ("password" itself is a word of the message.)
    if (password && password !== 'password') expect(() => production(env)).toThrow(new RegExp(`^(?![\\s\\S]*${password})`));
  });

  it('names every problem at once', () => {
    expect(() => production({ DEMO_DATA: 'yes' })).toThrow(/DATABASE_URL: must be set[\s\S]*DEMO_DATA: must be false/);
  });

  it('leaves development and test alone', () => {
    expect(loadConfig({ NODE_ENV: 'development' }).DEMO_DATA).toBe(true);
    expect(loadConfig({ NODE_ENV: 'test', DATABASE_URL: 'postgresql://postgres:postgres@localhost/vigil' }).DEMO_DATA).toBe(true);
  });
});

describe('documentation', () => {
  it("lists every variable in the README's configuration table", () => {
    const readme = readFileSync(join(__dirname, '..', '..', 'README.md'), 'utf8');
    const variables = [...Object.keys(new VigilConfig()), 'DATABASE_URL'];
    expect(variables.filter((name) => !readme.includes(`| \`${name}\` |`))).toEqual([]);
  });
});
