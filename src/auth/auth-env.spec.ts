import 'reflect-metadata';
import { EnvError, loadEnv } from '../config/env.schema.js';

const problems = (env: NodeJS.ProcessEnv): string[] => {
  try {
    loadEnv(env);
    return [];
  } catch (e) {
    if (e instanceof EnvError) return e.problems;
    throw e;
  }
};

describe('auth settings in the environment', () => {
  it('has safe defaults', () => {
    const env = loadEnv({});
    expect(env).toMatchObject({
      SMS_SENDER: 'log',
      SELF_REGISTRATION: true,
      AUTH_CAPTCHA_AFTER_FAILS: 3,
      // one office behind a NAT shares an IP: the per-IP captcha comes far later than the per-account one
      AUTH_CAPTCHA_AFTER_IP_FAILS: 50,
      AUTH_MAX_FAILS_PER_ACCOUNT: 10,
      CAPTCHA_TTL_SECONDS: 300,
    });
    expect(env.SSO_PARTNER_ISSUER).toBeUndefined();
  });

  it('parses numbers and booleans', () => {
    const env = loadEnv({ AUTH_MAX_FAILS_PER_IP: '7', SELF_REGISTRATION: 'false' });
    expect(env.AUTH_MAX_FAILS_PER_IP).toBe(7);
    expect(env.SELF_REGISTRATION).toBe(false);
  });

  it.each([
    [{ SMS_SENDER: 'http' }, /SMS_GATEWAY_URL/],
    [{ SMS_SENDER: 'carrier-pigeon' }, /SMS_SENDER/],
    [{ SMS_SENDER: 'http', SMS_GATEWAY_URL: 'ftp://x', SMS_GATEWAY_KEY: 'k' }, /SMS_GATEWAY_URL/],
    [{ SSO_PARTNER_SECRET: 'x'.repeat(40) }, /SSO_PARTNER_ISSUER/],
    [{ SSO_PARTNER_ISSUER: 'i', SSO_PARTNER_SECRET: 'short' }, /SSO_PARTNER_SECRET/],
    [{ SSO_PARTNER_ISSUER: 'i', SSO_PARTNER_SECRET: 'x'.repeat(40), SSO_PARTNER_PUBLIC_KEY: '-----BEGIN PUBLIC KEY-----' }, /not both/],
    [{ SSO_PARTNER_ISSUER: 'i', SSO_PARTNER_PUBLIC_KEY: 'not a pem' }, /SSO_PARTNER_PUBLIC_KEY/],
    [{ AUTH_MAX_FAILS_PER_ACCOUNT: '0' }, /AUTH_MAX_FAILS_PER_ACCOUNT/],
    [{ SELF_REGISTRATION: 'maybe' }, /SELF_REGISTRATION/], // true/1/yes and false/0/no are the booleans
  ])('refuses %j', (env, message) => {
    expect(problems(env).join('\n')).toMatch(message);
  });
});
