import { ConfigError, loadConfig } from './config';

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
  ])('stops on %p with a message naming the variable', (env, message) => {
    expect(() => loadConfig(env)).toThrow(ConfigError);
    expect(() => loadConfig(env)).toThrow(message);
  });

  it('never echoes a database password', () => {
    expect(() => loadConfig({ DATABASE_URL: 'http://user:s3cret@host/db' })).toThrow(/^(?![\s\S]*s3cret)/);
  });
});
