import { redactUrl } from './redact-url.js';

describe('redactUrl', () => {
  it.each([
    ['postgresql://postgres:s3cret@db:5432/xsc', 'postgresql://postgres:***@db:5432/xsc'],
    ['redis://:pw@127.0.0.1:6379/0', 'redis://:***@127.0.0.1:6379/0'],
    ['rediss://user:p%40ss@cache', 'rediss://user:***@cache'],
  ])('masks the password of %s', (url, expected) => expect(redactUrl(url)).toBe(expected));

  it.each(['redis://127.0.0.1:6379', 'postgresql://postgres@127.0.0.1/xsc', 'not a url'])('leaves %s alone', (url) => {
    expect(redactUrl(url)).toBe(url);
  });
});
