import { randomInt } from 'node:crypto';
import { captchaKey } from '../../src/auth/captcha/captcha.service.js';
import { RedisService } from '../../src/redis/redis.service.js';
import { authHeader, type Credentials, type GqlResult, type TestApp } from '../helpers/test-app.js';

/** A distinct client address per test (sent as X-Forwarded-For; the app trusts its proxy). */
export const uniqIp = (): string => `10.${randomInt(256)}.${randomInt(256)}.${randomInt(1, 255)}`;

/** A GraphQL request from a given client address. */
export async function gqlFrom<T = Record<string, any>>(
  t: TestApp,
  ip: string,
  query: string,
  variables?: Record<string, unknown>,
  as?: Credentials,
): Promise<GqlResult<T>> {
  const res = await t
    .http()
    .post('/graphql')
    .set('content-type', 'application/json')
    .set('x-forwarded-for', ip)
    .set(authHeader(as))
    .send({ query, variables });
  return { status: res.status, data: res.body.data, errors: res.body.errors };
}

/** The answer a person would read from the captcha image, read from where the server keeps it. */
export async function captchaAnswer(t: TestApp, id: string): Promise<string | null> {
  return t.app.get(RedisService).get(captchaKey(id));
}

/** A fresh captcha with its answer: `{ captchaId, captchaAnswer }` for an input. */
export async function solvedCaptcha(t: TestApp, ip = uniqIp()): Promise<{ captchaId: string; captchaAnswer: string }> {
  const r = await gqlFrom(t, ip, '{ captcha { id svg expiresAt } }');
  const id = r.data!.captcha.id as string;
  return { captchaId: id, captchaAnswer: (await captchaAnswer(t, id))!.toUpperCase() };
}

export const PAYLOAD = 'accessToken accessTokenExpiresAt refreshToken refreshTokenExpiresAt user { id username role organizationId }';
export const LOGIN = `mutation($i: LoginInput!) { login(input: $i) { ${PAYLOAD} } }`;
export const REFRESH = `mutation($t: String!) { refreshToken(input: { refreshToken: $t }) { ${PAYLOAD} } }`;
export const ME = '{ me { id username } }';

export const details = (r: GqlResult): Record<string, unknown> | undefined =>
  r.errors?.[0]?.extensions?.details as Record<string, unknown> | undefined;
