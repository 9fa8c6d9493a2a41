import { randomBytes } from 'node:crypto';
import { ConfigError, loadConfig } from '@safecity/service-kit';
import { RecognitionConfig } from './config';

describe('RecognitionConfig', () => {
  const base = { DATABASE_URL: 'postgres://recognition@db/safecity', KAFKA_BROKERS: 'kafka:9092' };
  const key = randomBytes(32).toString('base64');

  function problems(env: Record<string, string>): string[] {
    try {
      loadConfig(RecognitionConfig, env);
    } catch (error) {
      if (error instanceof ConfigError) return error.problems;
      throw error;
    }
    return [];
  }

  it('refuses to start without FACE_TEMPLATE_KEY, saying how to fix it', () => {
    expect(problems(base)).toEqual([
      expect.stringMatching(
        /^FACE_TEMPLATE_KEY: FACE_TEMPLATE_KEY is required .*FACE_TEMPLATE_KEY_DEVELOPMENT=true/,
      ),
      'FACE_TEMPLATE_KEY: FACE_TEMPLATE_KEY must be base64 of 32 bytes',
    ]);
    expect(problems({ ...base, FACE_TEMPLATE_KEY_DEVELOPMENT: 'false' })).toHaveLength(2);
  });

  it('takes a key of 32 bytes, and development off by default', () => {
    const config = loadConfig(RecognitionConfig, { ...base, FACE_TEMPLATE_KEY: key });
    expect(config).toMatchObject({ FACE_TEMPLATE_KEY: key, FACE_TEMPLATE_KEY_DEVELOPMENT: false });
  });

  it('refuses a key of another length', () => {
    expect(problems({ ...base, FACE_TEMPLATE_KEY: randomBytes(16).toString('base64') })).toEqual([
      'FACE_TEMPLATE_KEY: FACE_TEMPLATE_KEY must be base64 of 32 bytes',
    ]);
  });

  it('starts without a key only when development is explicitly set, still checking a key given', () => {
    const config = loadConfig(RecognitionConfig, { ...base, FACE_TEMPLATE_KEY_DEVELOPMENT: 'true' });
    expect(config.FACE_TEMPLATE_KEY).toBeUndefined();
    expect(config.FACE_TEMPLATE_KEY_DEVELOPMENT).toBe(true);
    expect(problems({ ...base, FACE_TEMPLATE_KEY_DEVELOPMENT: 'true', FACE_TEMPLATE_KEY: 'short' })).toEqual([
      'FACE_TEMPLATE_KEY: FACE_TEMPLATE_KEY must be base64 of 32 bytes',
    ]);
  });

  it('reads the retention of matches and alerts, defaulting to 90 days unconfirmed and a year confirmed', () => {
    const defaults = loadConfig(RecognitionConfig, { ...base, FACE_TEMPLATE_KEY: key });
    expect(defaults).toMatchObject({
      UNCONFIRMED_MATCH_RETENTION_DAYS: 90,
      CONFIRMED_MATCH_RETENTION_DAYS: 365,
      BEHAVIOUR_ALERT_RETENTION_DAYS: 90,
    });
    const set = loadConfig(RecognitionConfig, {
      ...base,
      FACE_TEMPLATE_KEY: key,
      UNCONFIRMED_MATCH_RETENTION_DAYS: '30',
      BEHAVIOUR_ALERT_RETENTION_DAYS: '14',
    });
    expect(set).toMatchObject({ UNCONFIRMED_MATCH_RETENTION_DAYS: 30, BEHAVIOUR_ALERT_RETENTION_DAYS: 14 });
    expect(problems({ ...base, FACE_TEMPLATE_KEY: key, CONFIRMED_MATCH_RETENTION_DAYS: '0' })).toEqual([
      expect.stringMatching(/^CONFIRMED_MATCH_RETENTION_DAYS: /),
    ]);
  });
});
