import { createServer, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { smsCodeKey } from '../../src/auth/sms/sms-code.service.js';
import { RedisService } from '../../src/redis/redis.service.js';
import { createUser } from '../helpers/factories.js';
import { errorCode, startTestApp, type TestApp } from '../helpers/test-app.js';
import { details, gqlFrom, ME, PAYLOAD, uniqIp } from './auth-helpers.js';

const REQUEST = 'mutation($p: String!) { requestSmsCode(input: { phone: $p }) { expiresAt } }';
const SMS_REGISTER = `mutation($i: SmsRegisterInput!) { smsRegister(input: $i) { ${PAYLOAD} user { phone } } }`;

let phoneSeq = 0;
/** A mobile number no other test uses. */
const uniqPhone = () => `137${String(process.pid % 10_000).padStart(4, '0')}${String(phoneSeq++).padStart(4, '0')}`;

describe('auth: SMS codes and smsRegister (log sender)', () => {
  let t: TestApp;
  beforeAll(
    async () => (t = await startTestApp({ SMS_SENDER: 'log', SMS_MAX_PER_PHONE_PER_HOUR: '2', SMS_MAX_PER_IP_PER_HOUR: '3', SMS_CODE_MAX_ATTEMPTS: '3' })),
  );
  afterAll(() => t.close());

  /** The code from the newest outbox message to this phone (what the person reads on their phone). */
  async function lastCode(phone: string): Promise<string> {
    const msg = await t.prisma.smsOutbox.findFirstOrThrow({ where: { phone }, orderBy: { id: 'desc' } });
    return /(\d{6})/.exec(msg.body)![1];
  }

  it('sends a 6-digit code to the outbox; smsRegister with it creates the user and signs in', async () => {
    const phone = uniqPhone();
    const sent = await gqlFrom(t, uniqIp(), REQUEST, { p: `+86 ${phone}` });
    expect(sent.errors).toBeUndefined();
    expect(new Date(sent.data!.requestSmsCode.expiresAt).getTime()).toBeGreaterThan(Date.now());
    const code = await lastCode(phone);
    const r = await gqlFrom(t, uniqIp(), SMS_REGISTER, { i: { phone, code, password: 'a-good-password' } });
    expect(r.errors).toBeUndefined();
    expect(r.data!.smsRegister.user).toMatchObject({ phone, username: `u${phone}` });
    expect((await t.gql(ME, {}, { token: r.data!.smsRegister.accessToken })).data?.me.username).toBe(`u${phone}`);
    // the code is stored hashed, and gone once used
    expect(await t.app.get(RedisService).exists(smsCodeKey('register', phone))).toBe(0);
    const again = await gqlFrom(t, uniqIp(), SMS_REGISTER, { i: { phone, code, password: 'a-good-password', username: 'another' } });
    expect(errorCode(again)).toBe('CONFLICT'); // the phone is taken now
  });

  it('a code is single use', async () => {
    const phone = uniqPhone();
    await gqlFrom(t, uniqIp(), REQUEST, { p: phone });
    const code = await lastCode(phone);
    await gqlFrom(t, uniqIp(), SMS_REGISTER, { i: { phone, code, password: 'a-good-password', username: `n-${phone}` } });
    await t.prisma.user.deleteMany({ where: { phone } }); // even with the phone free again
    const r = await gqlFrom(t, uniqIp(), SMS_REGISTER, { i: { phone, code, password: 'a-good-password' } });
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0].message).toMatch(/expired|never sent/);
  });

  it('a code is never stored in clear', async () => {
    const phone = uniqPhone();
    await gqlFrom(t, uniqIp(), REQUEST, { p: phone });
    const stored = await t.app.get(RedisService).hgetall(smsCodeKey('register', phone));
    expect(stored.hash).toMatch(/^[0-9a-f]{64}$/);
    expect(JSON.stringify(stored)).not.toContain(await lastCode(phone));
  });

  it('a wrong code is refused; too many wrong codes discard it', async () => {
    const phone = uniqPhone();
    await gqlFrom(t, uniqIp(), REQUEST, { p: phone });
    const code = await lastCode(phone);
    const wrong = code === '000000' ? '111111' : '000000';
    for (let i = 0; i < 2; i++) {
      const r = await gqlFrom(t, uniqIp(), SMS_REGISTER, { i: { phone, code: wrong, password: 'a-good-password' } });
      expect(errorCode(r)).toBe('BAD_USER_INPUT');
      expect(r.errors?.[0].message).toMatch(/Wrong SMS code/);
    }
    const third = await gqlFrom(t, uniqIp(), SMS_REGISTER, { i: { phone, code: wrong, password: 'a-good-password' } });
    expect(errorCode(third)).toBe('BAD_USER_INPUT');
    const right = await gqlFrom(t, uniqIp(), SMS_REGISTER, { i: { phone, code, password: 'a-good-password' } });
    expect(errorCode(right)).toBe('BAD_USER_INPUT');
    expect(right.errors?.[0].message).toMatch(/Too many|expired/);
    expect(await t.prisma.user.count({ where: { phone } })).toBe(0);
  });

  it('an expired (or never sent) code is refused', async () => {
    const phone = uniqPhone();
    await gqlFrom(t, uniqIp(), REQUEST, { p: phone });
    const code = await lastCode(phone);
    await t.app.get(RedisService).expire(smsCodeKey('register', phone), 0); // what the TTL does when it runs out
    const r = await gqlFrom(t, uniqIp(), SMS_REGISTER, { i: { phone, code, password: 'a-good-password' } });
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0].message).toMatch(/expired/);
    const never = await gqlFrom(t, uniqIp(), SMS_REGISTER, { i: { phone: uniqPhone(), code: '123456', password: 'a-good-password' } });
    expect(errorCode(never)).toBe('BAD_USER_INPUT');
  });

  it('requests are limited per phone', async () => {
    const phone = uniqPhone();
    expect((await gqlFrom(t, uniqIp(), REQUEST, { p: phone })).errors).toBeUndefined();
    expect((await gqlFrom(t, uniqIp(), REQUEST, { p: phone })).errors).toBeUndefined();
    const third = await gqlFrom(t, uniqIp(), REQUEST, { p: phone });
    expect(errorCode(third)).toBe('RATE_LIMITED');
    expect(details(third)?.retryAfterSeconds).toBeGreaterThan(0);
    expect(await t.prisma.smsOutbox.count({ where: { phone } })).toBe(2);
  });

  it('requests are limited per IP address', async () => {
    const ip = uniqIp();
    for (let i = 0; i < 3; i++) expect((await gqlFrom(t, ip, REQUEST, { p: uniqPhone() })).errors).toBeUndefined();
    const phone = uniqPhone();
    const fourth = await gqlFrom(t, ip, REQUEST, { p: phone });
    expect(errorCode(fourth)).toBe('RATE_LIMITED');
    expect(await t.prisma.smsOutbox.count({ where: { phone } })).toBe(0);
    expect((await gqlFrom(t, uniqIp(), REQUEST, { p: uniqPhone() })).errors).toBeUndefined();
  });

  it('a taken username is CONFLICT and leaves the code usable', async () => {
    const taken = await createUser(t);
    const phone = uniqPhone();
    await gqlFrom(t, uniqIp(), REQUEST, { p: phone });
    const code = await lastCode(phone);
    const r = await gqlFrom(t, uniqIp(), SMS_REGISTER, { i: { phone, code, password: 'a-good-password', username: taken.username } });
    expect(errorCode(r)).toBe('CONFLICT');
    expect(details(r)).toEqual({ field: 'username' });
    const ok = await gqlFrom(t, uniqIp(), SMS_REGISTER, { i: { phone, code, password: 'a-good-password', username: `free-${phone}` } });
    expect(ok.errors).toBeUndefined();
  });

  it('a registered phone gets no code (CONFLICT)', async () => {
    const u = await createUser(t);
    const phone = uniqPhone();
    await t.prisma.user.update({ where: { id: u.id }, data: { phone } });
    expect(errorCode(await gqlFrom(t, uniqIp(), REQUEST, { p: phone }))).toBe('CONFLICT');
  });

  it.each([
    ['letters', 'abc'],
    ['too few digits', '12345'],
    ['an over-long string', '1'.repeat(5000)],
    ['an injection string', "13800138000'; DROP TABLE \"User\"; --"],
  ])('a phone of %s is BAD_USER_INPUT', async (_, p) => {
    const r = await gqlFrom(t, uniqIp(), REQUEST, { p });
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0].message).toMatch(/phone/);
  });

  it('the purpose is an enum: REGISTER works, anything else is BAD_USER_INPUT', async () => {
    const q = 'mutation($p: String!, $u: SmsCodePurpose!) { requestSmsCode(input: { phone: $p, purpose: $u }) { expiresAt } }';
    expect((await gqlFrom(t, uniqIp(), q, { p: uniqPhone(), u: 'REGISTER' })).errors).toBeUndefined();
    expect(errorCode(await gqlFrom(t, uniqIp(), q, { p: uniqPhone(), u: 'RESET_PASSWORD' }))).toBe('BAD_USER_INPUT');
  });

  it('a code of the wrong shape is BAD_USER_INPUT', async () => {
    const r = await gqlFrom(t, uniqIp(), SMS_REGISTER, { i: { phone: uniqPhone(), code: '12ab56', password: 'a-good-password' } });
    expect(errorCode(r)).toBe('BAD_USER_INPUT');
    expect(r.errors?.[0].message).toMatch(/code/);
  });
});

describe('auth: SMS through the HTTP gateway sender', () => {
  let t: TestApp;
  let server: Server;
  let status = 200;
  const received: { headers: IncomingMessage['headers']; body: { phone: string; message: string } }[] = [];

  beforeAll(async () => {
    server = createServer((req, res) => {
      let raw = '';
      req.on('data', (c) => (raw += c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: JSON.parse(raw) });
        res.statusCode = status;
        res.end('{}');
      });
    });
    await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
    const { port } = server.address() as AddressInfo;
    t = await startTestApp({ SMS_SENDER: 'http', SMS_GATEWAY_URL: `http://127.0.0.1:${port}/send`, SMS_GATEWAY_KEY: 'gateway-key-1' });
  });
  afterAll(async () => {
    await t.close();
    await new Promise((ok) => server.close(ok));
  });

  it('posts the message as JSON with the API key; the code received registers the user', async () => {
    status = 200;
    const phone = uniqPhone();
    const r = await gqlFrom(t, uniqIp(), REQUEST, { p: phone });
    expect(r.errors).toBeUndefined();
    const msg = received.at(-1)!;
    expect(msg.headers['x-api-key']).toBe('gateway-key-1');
    expect(msg.headers['content-type']).toMatch(/application\/json/);
    expect(msg.body.phone).toBe(phone);
    const code = /(\d{6})/.exec(msg.body.message)![1];
    expect(await t.prisma.smsOutbox.count({ where: { phone } })).toBe(0); // the http sender keeps no outbox
    const reg = await gqlFrom(t, uniqIp(), SMS_REGISTER, { i: { phone, code, password: 'a-good-password' } });
    expect(reg.errors).toBeUndefined();
  });

  it('a failing gateway is SERVICE_UNAVAILABLE and leaves no usable code', async () => {
    status = 502;
    const phone = uniqPhone();
    const r = await gqlFrom(t, uniqIp(), REQUEST, { p: phone });
    expect(errorCode(r)).toBe('SERVICE_UNAVAILABLE');
    expect(await t.app.get(RedisService).exists(smsCodeKey('register', phone))).toBe(0);
    status = 200;
  });
});
