import { ConfigError, loadConfig } from '../src/config.js';

test('embedded defaults need no variable at all', () => {
  const config = loadConfig({});
  expect(config).toMatchObject({ PORT: 3000, SESSION_TTL_DAYS: 30, DEFAULT_LANGUAGE: 'es', userIdSecretIsDefault: true });
  expect(config.REDIS_URL).toBeUndefined();
});

test('values from the environment are parsed', () => {
  const config = loadConfig({ PORT: '8080', REDIS_URL: 'redis://127.0.0.1:6379', SESSION_TTL_DAYS: '7', USER_ID_SECRET: 'a-long-enough-secret', REDIS_URL_UNUSED: 'x' });
  expect(config).toMatchObject({ PORT: 8080, REDIS_URL: 'redis://127.0.0.1:6379', SESSION_TTL_DAYS: 7, USER_ID_SECRET: 'a-long-enough-secret', userIdSecretIsDefault: false });
});

test('an empty variable counts as unset', () => {
  const config = loadConfig({ REDIS_URL: '', USER_ID_SECRET: '' });
  expect(config.REDIS_URL).toBeUndefined();
  expect(config.userIdSecretIsDefault).toBe(true);
});

test.each([
  [{ PORT: 'eighty' }, 'PORT'],
  [{ PORT: '70000' }, 'PORT'],
  [{ REDIS_URL: 'localhost:6379' }, 'REDIS_URL: must start with redis://'],
  [{ SESSION_TTL_DAYS: '-1' }, 'SESSION_TTL_DAYS'],
  [{ USER_ID_SECRET: 'short' }, 'USER_ID_SECRET: must be at least 16 characters'],
  [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL'],
  [{ DEFAULT_LANGUAGE: 'fr' }, 'DEFAULT_LANGUAGE'],
])('an invalid value stops start-up naming the variable: %j', (env, words) => {
  expect(() => loadConfig(env)).toThrow(ConfigError);
  expect(() => loadConfig(env)).toThrow(words);
});
